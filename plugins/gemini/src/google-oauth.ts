/**
 * Google OAuth 2.0 for installed apps, with PKCE: the authorization URL, the code
 * exchange and the refresh, against configurable endpoints.
 */
import { UpstreamError, type HttpClient, createPkcePair, nonEmptyString, postTokenForm } from '@switchyard/plugin-api';
import type { GeminiOptions } from './gemini-options.js';

/** Tokens as the token endpoint returns them, normalised. */
export interface GoogleTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds. */
  /** ISO 8601, as credentials store it. */
  expiresAt: string;
}

/** A PKCE verifier and its S256 challenge (48 random bytes behind the verifier). */
export function createPkce(): { verifier: string; challenge: string } {
  return createPkcePair(48);
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

async function tokenCall(
  http: HttpClient,
  oauth: GeminiOptions['oauth'],
  form: Record<string, string>,
  signal: AbortSignal,
  now: number,
): Promise<GoogleTokens> {
  const body = await postTokenForm(http, oauth.tokenUrl, form, signal, 'Google');
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  const tokens: GoogleTokens = { accessToken: body.access_token, expiresAt: new Date(now + expiresIn * 1000).toISOString() };
  const refreshToken = nonEmptyString(body.refresh_token);
  if (refreshToken) tokens.refreshToken = refreshToken;
  return tokens;
}

function client(oauth: GeminiOptions['oauth']): Record<string, string> {
  if (!oauth.clientId) throw new UpstreamError('auth_failed', 'gemini plugin option oauth.clientId is not set');
  return { client_id: oauth.clientId, ...(oauth.clientSecret ? { client_secret: oauth.clientSecret } : {}) };
}

/** Exchanges an authorization code (with its PKCE verifier) for tokens. */
export function exchangeCode(
  http: HttpClient,
  oauth: GeminiOptions['oauth'],
  code: string,
  verifier: string,
  signal: AbortSignal,
): Promise<GoogleTokens> {
  return tokenCall(
    http,
    oauth,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: oauth.redirectUri, ...client(oauth) },
    signal,
    Date.now(),
  );
}

/** Refreshes an access token. */
export function refreshTokens(
  http: HttpClient,
  oauth: GeminiOptions['oauth'],
  refreshToken: string,
  signal: AbortSignal,
): Promise<GoogleTokens> {
  return tokenCall(
    http,
    oauth,
    { grant_type: 'refresh_token', refresh_token: refreshToken, ...client(oauth) },
    signal,
    Date.now(),
  );
}
