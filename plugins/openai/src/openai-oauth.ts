/**
 * OAuth 2.0 with PKCE for ChatGPT/Codex accounts: the authorization URL, code exchange,
 * refresh, and the claims of the returned id token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UpstreamError, type HttpClient, originOf } from '@switchyard/core/plugin-api';
import { isRecord, str } from './json-util.js';
import type { OpenAiOptions } from './openai-options.js';

/** Tokens from the token endpoint, normalised. */
export interface OpenAiTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A PKCE verifier and its S256 challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
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

/** A pasted code, or the `code` of a pasted redirect URL. */
export function extractCode(input: string): string {
  const text = input.trim();
  try {
    return new URL(text).searchParams.get('code') ?? text;
  } catch {
    return text;
  }
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
  const accountId = str(auth.chatgpt_account_id);
  const email = str(claims.email);
  const plan = str(auth.chatgpt_plan_type);
  return { ...(accountId ? { accountId } : {}), ...(email ? { email } : {}), ...(plan ? { plan } : {}) };
}

async function tokenCall(http: HttpClient, codex: OpenAiOptions['codex'], form: Record<string, string>, signal: AbortSignal): Promise<OpenAiTokens> {
  if (!codex.clientId) throw new UpstreamError('auth_failed', 'openai plugin option codex.clientId is not set');
  const response = await http.request(codex.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ ...form, client_id: codex.clientId }).toString(),
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 || !isRecord(body) || !str(body.access_token)) {
    const reason = isRecord(body) ? str(body.error) ?? 'no access_token' : 'not JSON';
    throw new UpstreamError(response.status >= 500 ? 'upstream_5xx' : 'auth_failed', `OpenAI token endpoint ${originOf(codex.tokenUrl)} answered ${response.status} (${reason})`, { status: response.status });
  }
  const tokens: OpenAiTokens = { accessToken: str(body.access_token)!, expiresAt: Date.now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000 };
  if (str(body.refresh_token)) tokens.refreshToken = str(body.refresh_token)!;
  if (str(body.id_token)) tokens.idToken = str(body.id_token)!;
  return tokens;
}

/** Exchanges an authorization code for tokens. */
export function exchangeCode(http: HttpClient, codex: OpenAiOptions['codex'], code: string, verifier: string, signal: AbortSignal): Promise<OpenAiTokens> {
  return tokenCall(http, codex, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: codex.redirectUri }, signal);
}

/** Refreshes the tokens. */
export function refreshTokens(http: HttpClient, codex: OpenAiOptions['codex'], refreshToken: string, signal: AbortSignal): Promise<OpenAiTokens> {
  return tokenCall(http, codex, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: codex.scopes.join(' ') }, signal);
}
