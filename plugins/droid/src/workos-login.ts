/**
 * The WorkOS sign-in behind Factory's CLI login: the device-authorization grant
 * (RFC 8628: `POST /user_management/authorize/device`, then polling
 * `POST /user_management/authenticate` with the device code), refresh-token rotation
 * on the same endpoint, and Factory's `GET /api/cli/org`, which names the WorkOS
 * organizations of a fresh login so its token can be scoped to one. Messages name only
 * origins, never a token or code.
 */
import {
  UpstreamError,
  isRecord,
  nonEmptyString,
  originOf,
  postTokenForm,
  type HttpClient,
  type TokenEndpointAnswer,
} from '@switchyard/plugin-api';
import type { DroidOptions } from './droid-options.js';

type OAuthOptions = DroidOptions['oauth'];

/** Tokens of a sign-in, as credentials store them. */
export interface WorkosTokens {
  accessToken: string;
  refreshToken?: string;
  /** ISO 8601. */
  expiresAt: string;
  organizationId?: string;
  email?: string;
}

/** A started device login: what to show the operator and what to poll with. */
export interface DeviceLogin {
  deviceCode: string;
  userCode: string;
  verificationUrl: string;
  intervalMs: number;
  /** ISO 8601. */
  expiresAt: string;
}

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** RFC 8628's default polling interval. */
const DEFAULT_INTERVAL_MS = 5_000;

/** The configured client id, or an error saying which option to set. */
export function clientIdOf(oauth: OAuthOptions): string {
  if (!oauth.clientId) throw new UpstreamError('auth_failed', 'droid plugin option oauth.clientId is not set');
  return oauth.clientId;
}

/** The `exp` claim of a JWT access token in epoch ms (not verified: it came from WorkOS over TLS). */
export function jwtExpiryMs(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return isRecord(claims) && typeof claims.exp === 'number' && claims.exp > 0 ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Normalises an `authenticate` answer. */
function tokensOf(body: TokenEndpointAnswer, oauth: OAuthOptions, now: number): WorkosTokens {
  const expiresAt = jwtExpiryMs(body.access_token) ?? now + oauth.tokenLifetimeMs;
  const tokens: WorkosTokens = { accessToken: body.access_token, expiresAt: new Date(expiresAt).toISOString() };
  const refreshToken = nonEmptyString(body.refresh_token);
  if (refreshToken) tokens.refreshToken = refreshToken;
  const organizationId = nonEmptyString(body.organization_id);
  if (organizationId) tokens.organizationId = organizationId;
  const email = isRecord(body.user) ? nonEmptyString(body.user.email) : undefined;
  if (email) tokens.email = email;
  return tokens;
}

const authenticateUrl = (oauth: OAuthOptions) => `${oauth.workosUrl.replace(/\/+$/, '')}/user_management/authenticate`;

/** Starts a device login. */
export async function startDeviceLogin(http: HttpClient, oauth: OAuthOptions, signal: AbortSignal): Promise<DeviceLogin> {
  const url = `${oauth.workosUrl.replace(/\/+$/, '')}/user_management/authorize/device`;
  const response = await http.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ client_id: clientIdOf(oauth) }).toString(),
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  const deviceCode = isRecord(body) ? nonEmptyString(body.device_code) : undefined;
  const userCode = isRecord(body) ? nonEmptyString(body.user_code) : undefined;
  const verificationUrl = isRecord(body)
    ? (nonEmptyString(body.verification_uri_complete) ?? nonEmptyString(body.verification_uri))
    : undefined;
  if (response.status >= 400 || !isRecord(body) || !deviceCode || !userCode || !verificationUrl) {
    throw new Error(`WorkOS ${originOf(url)} refused to start a device login (${response.status}).`);
  }
  const interval = typeof body.interval === 'number' && body.interval > 0 ? body.interval * 1000 : DEFAULT_INTERVAL_MS;
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 15 * 60_000;
  return {
    deviceCode,
    userCode,
    verificationUrl,
    intervalMs: Math.ceil(interval),
    expiresAt: new Date(Date.now() + expiresIn).toISOString(),
  };
}

/**
 * Asks once whether the operator approved the device login: `pending` while WorkOS
 * answers `authorization_pending` or `slow_down`, the tokens once approved.
 *
 * @throws Error when the login was denied or expired (the operator starts again).
 */
export async function pollDeviceLogin(
  http: HttpClient,
  oauth: OAuthOptions,
  deviceCode: string,
  signal: AbortSignal,
): Promise<WorkosTokens | 'pending'> {
  const url = authenticateUrl(oauth);
  const response = await http.request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: DEVICE_CODE_GRANT,
      device_code: deviceCode,
      client_id: clientIdOf(oauth),
    }).toString(),
    signal,
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status < 400 && isRecord(body) && nonEmptyString(body.access_token)) {
    return tokensOf(body as TokenEndpointAnswer, oauth, Date.now());
  }
  const error = isRecord(body) ? nonEmptyString(body.error) : undefined;
  if (error === 'authorization_pending' || error === 'slow_down') return 'pending';
  if (error === 'expired_token') throw new Error('The login code expired before it was approved; start again.');
  if (error === 'access_denied') throw new Error('The login was denied; start again.');
  throw new Error(`WorkOS ${originOf(url)} answered ${response.status}${error ? ` (${error})` : ''}; start again.`);
}

/** Rotates the tokens; with an organization id, the new access token is scoped to it. */
export async function refreshWorkosTokens(
  http: HttpClient,
  oauth: OAuthOptions,
  refreshToken: string,
  organizationId: string | undefined,
  signal: AbortSignal,
): Promise<WorkosTokens> {
  const form: Record<string, string> = {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: clientIdOf(oauth),
  };
  if (organizationId) form.organization_id = organizationId;
  const body = await postTokenForm(http, authenticateUrl(oauth), form, signal, 'WorkOS');
  return tokensOf(body, oauth, Date.now());
}

/** The first WorkOS organization Factory names for a token (`GET /api/cli/org`), if any. */
export async function factoryOrganizationOf(
  http: HttpClient,
  oauth: OAuthOptions,
  accessToken: string,
  signal: AbortSignal,
): Promise<string | undefined> {
  const url = `${oauth.appUrl.replace(/\/+$/, '')}/api/cli/org`;
  const response = await http.request(url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}` }, signal });
  const body: unknown = await response.json().catch(() => undefined);
  if (response.status >= 400 || !isRecord(body) || !Array.isArray(body.workosOrgIds)) return undefined;
  return body.workosOrgIds.map((id) => nonEmptyString(id)).find((id) => id !== undefined);
}
