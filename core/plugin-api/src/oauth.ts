/**
 * Pieces of an OAuth 2.0 authorization-code login with PKCE that account types share:
 * the verifier/challenge pair, reading the code out of what an operator pasted, and the
 * form-encoded POST to a token endpoint. Error messages name only the endpoint's origin,
 * never a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { HttpClient } from './http.js';
import { UpstreamError } from './errors.js';
import { isRecord, nonEmptyString } from './json-values.js';
import { originOf } from './upstream-helpers.js';

/** A PKCE code verifier and its S256 code challenge. */
export interface PkcePair {
  /** The secret verifier, kept until the code exchange (base64url). */
  verifier: string;
  /** `BASE64URL(SHA-256(verifier))`, sent with `code_challenge_method=S256`. */
  challenge: string;
}

/**
 * A fresh PKCE pair (RFC 7636, S256).
 *
 * @param verifierBytes - Random bytes behind the verifier (32 gives a 43-character verifier).
 * @returns The verifier and its challenge.
 */
export function createPkcePair(verifierBytes = 32): PkcePair {
  const verifier = randomBytes(verifierBytes).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * The authorization code in what an operator pasted: the `code` query parameter of a
 * pasted redirect URL, else the trimmed text itself.
 *
 * @param input - A bare code or a full redirect URL.
 * @returns The code to exchange.
 */
export function extractAuthorizationCode(input: string): string {
  const text = input.trim();
  try {
    const code = new URL(text).searchParams.get('code');
    if (code) return code;
  } catch {
    // not a URL: the code itself
  }
  return text;
}

/** A token endpoint's JSON answer whose `access_token` is a non-empty string. */
export type TokenEndpointAnswer = Record<string, unknown> & { access_token: string };

/**
 * POSTs `form` (`application/x-www-form-urlencoded`) to an OAuth token endpoint and reads
 * the JSON answer.
 *
 * @param http - The plugin's HTTP client.
 * @param tokenUrl - The token endpoint.
 * @param form - The grant's fields (`grant_type`, `code`, `refresh_token`, `client_id`, ...).
 * @param signal - Aborts the call.
 * @param label - Who runs the endpoint, for error messages (`'Acme token endpoint ... answered 400'`).
 * @returns The parsed answer.
 * @throws UpstreamError `upstream_5xx` for a 5xx status, `auth_failed` for any other status
 *   `>= 400` or an answer without an `access_token`; the message carries the origin, the
 *   status and the answer's `error` field.
 */
export async function postTokenForm(
  http: HttpClient,
  tokenUrl: string,
  form: Record<string, string>,
  signal: AbortSignal,
  label: string,
): Promise<TokenEndpointAnswer> {
  const response = await http.request(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 || !isRecord(body) || !nonEmptyString(body.access_token)) {
    const reason = isRecord(body) ? (nonEmptyString(body.error) ?? 'no access_token') : 'not JSON';
    const kind = response.status >= 500 ? 'upstream_5xx' : 'auth_failed';
    throw new UpstreamError(kind, `${label} token endpoint ${originOf(tokenUrl)} answered ${response.status} (${reason})`, {
      status: response.status,
    });
  }
  return body as TokenEndpointAnswer;
}
