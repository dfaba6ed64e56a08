/**
 * Calls to the Claude OAuth token endpoint: exchanging an authorization code (PKCE)
 * and refreshing an access token. Answers become credential fields; failures become
 * `UpstreamError`s whose messages carry no token.
 */
import { UpstreamError, type HttpClient, isRecord, parseJsonSafely, reasonOf } from '@switchyard/plugin-api';
import type { ClaudeOptions } from './claude-options.js';
import { originOf } from './send-to-anthropic.js';

/** The credential fields a token answer yields. */
export interface ClaudeTokenFields {
  accessToken: string;
  refreshToken?: string;
  /** ISO 8601. */
  expiresAt?: string;
  scopes?: string;
  /** The account's e-mail address, when the answer names it (for the account's name). */
  email?: string;
}

function kindForStatus(status: number): 'auth_failed' | 'rate_limited' | 'upstream_5xx' {
  if (status === 429) return 'rate_limited';
  return status >= 500 ? 'upstream_5xx' : 'auth_failed';
}

/** Reads a token answer into credential fields. */
export function tokenFieldsFrom(answer: unknown, now = Date.now()): ClaudeTokenFields {
  if (!isRecord(answer) || typeof answer.access_token !== 'string' || answer.access_token === '') {
    throw new UpstreamError('auth_failed', 'the Claude token endpoint answered without an access_token');
  }
  const fields: ClaudeTokenFields = { accessToken: answer.access_token };
  if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') fields.refreshToken = answer.refresh_token;
  if (typeof answer.expires_in === 'number' && answer.expires_in > 0)
    fields.expiresAt = new Date(now + answer.expires_in * 1000).toISOString();
  if (typeof answer.scope === 'string') fields.scopes = answer.scope;
  const account = isRecord(answer.account) ? answer.account : undefined;
  if (typeof account?.email_address === 'string') fields.email = account.email_address;
  return fields;
}

/** POSTs `body` as JSON to the token endpoint and reads the answer. */
export async function callTokenEndpoint(
  http: HttpClient,
  options: ClaudeOptions,
  body: Record<string, unknown>,
  signal: AbortSignal,
): Promise<ClaudeTokenFields> {
  const url = options.oauth.tokenUrl;
  let status: number;
  let text: string;
  try {
    const response = await http.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    throw new UpstreamError('network', `Claude token endpoint ${originOf(url)} unreachable (${reasonOf(error)})`, {
      cause: error,
    });
  }
  if (status < 200 || status >= 300) {
    const parsed = parseJsonSafely(text);
    const reason = isRecord(parsed) && typeof parsed.error === 'string' ? `: ${parsed.error}` : '';
    throw new UpstreamError(kindForStatus(status), `the Claude token endpoint answered ${status}${reason}`, { status });
  }
  return tokenFieldsFrom(parseJsonSafely(text));
}

/** Exchanges a PKCE authorization code for tokens. */
export function exchangeAuthorizationCode(
  http: HttpClient,
  options: ClaudeOptions,
  grant: { code: string; verifier: string; state: string; expiresInSeconds?: number },
  signal: AbortSignal,
): Promise<ClaudeTokenFields> {
  return callTokenEndpoint(
    http,
    options,
    {
      grant_type: 'authorization_code',
      client_id: options.oauth.clientId,
      code: grant.code,
      redirect_uri: options.oauth.redirectUri,
      code_verifier: grant.verifier,
      state: grant.state,
      ...(grant.expiresInSeconds === undefined ? {} : { expires_in: grant.expiresInSeconds }),
    },
    signal,
  );
}

/** Trades a refresh token for a new access token (and possibly a rotated refresh token). */
export function refreshAccessToken(
  http: HttpClient,
  options: ClaudeOptions,
  refreshToken: string,
  signal: AbortSignal,
): Promise<ClaudeTokenFields> {
  return callTokenEndpoint(
    http,
    options,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: options.oauth.clientId },
    signal,
  );
}
