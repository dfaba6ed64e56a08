/**
 * OAuth 2.0 with PKCE for ChatGPT/Codex accounts: the authorization URL, code exchange,
 * refresh, and the claims of the returned id token.
 */
import { UpstreamError, type HttpClient, createPkcePair, isRecord, nonEmptyString, postTokenForm } from '@switchyard/plugin-api';
import type { OpenAiOptions } from './openai-options.js';

/** Tokens from the token endpoint, normalised. */
export interface OpenAiTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds. */
  /** ISO 8601, as credentials store it. */
  expiresAt: string;
}

/** A PKCE verifier and its S256 challenge (48 random bytes behind the verifier). */
export function createPkce(): { verifier: string; challenge: string } {
  return createPkcePair(48);
}

/** The URL the operator opens to sign in. */
export function codexAuthorizationUrl(codex: OpenAiOptions['codex'], clientId: string, challenge: string, state: string): string {
  const url = new URL(codex.authorizationUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: codex.redirectUri,
    scope: codex.scopes.join(' '),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  return url.toString();
}

/** The payload of a JWT (not verified: it came straight from the token endpoint over TLS). */
export function jwtClaims(token: string | undefined): Record<string, unknown> {
  const payload = token?.split('.')[1];
  if (!payload) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** The ChatGPT account id and e-mail in an id token's claims. */
export function accountClaims(idToken: string | undefined): { accountId?: string; email?: string; plan?: string } {
  const claims = jwtClaims(idToken);
  const auth = isRecord(claims['https://api.openai.com/auth']) ? claims['https://api.openai.com/auth'] : {};
  const accountId = nonEmptyString(auth.chatgpt_account_id);
  const email = nonEmptyString(claims.email);
  const plan = nonEmptyString(auth.chatgpt_plan_type);
  return { ...(accountId ? { accountId } : {}), ...(email ? { email } : {}), ...(plan ? { plan } : {}) };
}

async function tokenCall(
  http: HttpClient,
  codex: OpenAiOptions['codex'],
  form: Record<string, string>,
  signal: AbortSignal,
): Promise<OpenAiTokens> {
  if (!codex.clientId) throw new UpstreamError('auth_failed', 'openai plugin option codex.clientId is not set');
  const body = await postTokenForm(http, codex.tokenUrl, { ...form, client_id: codex.clientId }, signal, 'OpenAI');
  const tokens: OpenAiTokens = {
    accessToken: body.access_token,
    expiresAt: new Date(Date.now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000).toISOString(),
  };
  if (nonEmptyString(body.refresh_token)) tokens.refreshToken = nonEmptyString(body.refresh_token)!;
  if (nonEmptyString(body.id_token)) tokens.idToken = nonEmptyString(body.id_token)!;
  return tokens;
}

/** Exchanges an authorization code for tokens. */
export function exchangeCode(
  http: HttpClient,
  codex: OpenAiOptions['codex'],
  code: string,
  verifier: string,
  signal: AbortSignal,
): Promise<OpenAiTokens> {
  return tokenCall(
    http,
    codex,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: codex.redirectUri },
    signal,
  );
}

/** Refreshes the tokens. */
export function refreshTokens(
  http: HttpClient,
  codex: OpenAiOptions['codex'],
  refreshToken: string,
  signal: AbortSignal,
): Promise<OpenAiTokens> {
  return tokenCall(
    http,
    codex,
    { grant_type: 'refresh_token', refresh_token: refreshToken, scope: codex.scopes.join(' ') },
    signal,
  );
}
