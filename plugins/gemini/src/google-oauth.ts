/**
 * Google OAuth 2.0 for installed apps, with PKCE: the authorization URL, the code
 * exchange and the refresh, against configurable endpoints.
 */
import { createHash, randomBytes } from 'node:crypto';
import { UpstreamError, type HttpClient, originOf } from '@switchyard/core/plugin-api';
import type { GeminiOptions } from './gemini-options.js';
import { isRecord, str } from './json-util.js';

/** Tokens as the token endpoint returns them, normalised. */
export interface GoogleTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** A PKCE verifier and its S256 challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The URL the operator opens to grant access. */
export function authorizationUrl(oauth: GeminiOptions['oauth'], clientId: string, challenge: string, state: string): string {
  const url = new URL(oauth.authorizationUrl);
  url.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: oauth.redirectUri,
    response_type: 'code',
    scope: oauth.scopes.join(' '),
    access_type: 'offline',
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  }).toString();
  return url.toString();
}

/** A pasted code, or the code inside a pasted redirect URL. */
export function extractCode(input: string): string {
  const text = input.trim();
  try {
    const code = new URL(text).searchParams.get('code');
    if (code) return code;
  } catch {
    // not a URL: the code itself
  }
  return text;
}

async function tokenCall(http: HttpClient, oauth: GeminiOptions['oauth'], form: Record<string, string>, signal: AbortSignal, now: number): Promise<GoogleTokens> {
  const response = await http.request(oauth.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 || !isRecord(body) || !str(body.access_token)) {
    const reason = isRecord(body) ? str(body.error) ?? 'no access_token' : 'not JSON';
    const kind = response.status >= 500 ? 'upstream_5xx' : 'auth_failed';
    throw new UpstreamError(kind, `Google token endpoint ${originOf(oauth.tokenUrl)} answered ${response.status} (${reason})`, { status: response.status });
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  const tokens: GoogleTokens = { accessToken: str(body.access_token)!, expiresAt: now + expiresIn * 1000 };
  const refreshToken = str(body.refresh_token);
  if (refreshToken) tokens.refreshToken = refreshToken;
  return tokens;
}

function client(oauth: GeminiOptions['oauth']): Record<string, string> {
  if (!oauth.clientId) throw new UpstreamError('auth_failed', 'gemini plugin option oauth.clientId is not set');
  return { client_id: oauth.clientId, ...(oauth.clientSecret ? { client_secret: oauth.clientSecret } : {}) };
}

/** Exchanges an authorization code (with its PKCE verifier) for tokens. */
export function exchangeCode(http: HttpClient, oauth: GeminiOptions['oauth'], code: string, verifier: string, signal: AbortSignal): Promise<GoogleTokens> {
  return tokenCall(http, oauth, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: oauth.redirectUri, ...client(oauth) }, signal, Date.now());
}

/** Refreshes an access token. */
export function refreshTokens(http: HttpClient, oauth: GeminiOptions['oauth'], refreshToken: string, signal: AbortSignal): Promise<GoogleTokens> {
  return tokenCall(http, oauth, { grant_type: 'refresh_token', refresh_token: refreshToken, ...client(oauth) }, signal, Date.now());
}
