/**
 * A fake WorkOS (and the one Factory app endpoint the login asks) for the tests: a real
 * HTTP server on 127.0.0.1 with `POST /user_management/authorize/device`,
 * `POST /user_management/authenticate` (device-code and refresh-token grants, form
 * encoded, answering `authorization_pending` / `slow_down` until the test approves the
 * login) and `GET /api/cli/org`. Access tokens are JWTs whose `exp` the test chooses.
 */
import type http from 'node:http';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '@switchyard/core/testing';

export const CLIENT_ID = 'client_test_droid_0123456789';
export const DEVICE_CODE = 'device-code-secret-5e7d';
export const USER_CODE = 'WXYZ-1234';

/** A JWT-shaped token (unsigned: the plugin only reads `exp`) expiring at `expMs`. */
export function jwt(subject: string, expMs: number): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: subject, exp: Math.floor(expMs / 1000) })}.sig-${subject}`;
}

/** What the fake does; the test changes it between polls. */
export interface FakeWorkosState {
  /** `pending`, `slow_down`, `approved` or `denied`. */
  device: 'pending' | 'slow_down' | 'approved' | 'denied';
  /** Refresh tokens still valid (each is used once: WorkOS rotates them). */
  refreshTokens: Set<string>;
  /** Organizations `/api/cli/org` names. */
  orgIds: string[];
  /** Expiry of the access tokens it hands out. */
  expMs: number;
  /** How many tokens it handed out (they are numbered). */
  issued: number;
  /** The refresh grants it received: refresh token and organization id. */
  refreshes: Array<{ refreshToken: string; organizationId: string | undefined }>;
}

export function newWorkosState(): FakeWorkosState {
  return {
    device: 'pending',
    refreshTokens: new Set(),
    orgIds: ['org_A', 'org_B'],
    expMs: Date.now() + 8 * 3600_000,
    issued: 0,
    refreshes: [],
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Hands out a fresh token pair (org-scoped when `organizationId`). */
function issue(state: FakeWorkosState, res: http.ServerResponse, organizationId?: string): void {
  state.issued += 1;
  const refreshToken = `refresh-${state.issued}-abcdef`;
  state.refreshTokens.add(refreshToken);
  json(res, 200, {
    user: { id: 'user_1', email: 'ada@example.com' },
    access_token: jwt(`access-${state.issued}${organizationId ? `-${organizationId}` : ''}`, state.expMs),
    refresh_token: refreshToken,
    ...(organizationId ? { organization_id: organizationId } : {}),
  });
}

export function workosHandler(state: FakeWorkosState) {
  return (req: RecordedRequest, res: http.ServerResponse): void => {
    const form = new URLSearchParams(req.text());
    if (req.method === 'GET' && req.path === '/api/cli/org') {
      return req.headers.authorization?.startsWith('Bearer ')
        ? json(res, 200, { workosOrgIds: state.orgIds })
        : json(res, 401, {});
    }
    if (form.get('client_id') !== CLIENT_ID) return json(res, 400, { error: 'invalid_client' });
    if (req.path === '/user_management/authorize/device') {
      return json(res, 200, {
        device_code: DEVICE_CODE,
        user_code: USER_CODE,
        verification_uri: 'https://auth.example.test/device',
        verification_uri_complete: `https://auth.example.test/device?user_code=${USER_CODE}`,
        expires_in: 300,
        interval: 5,
      });
    }
    if (req.path !== '/user_management/authenticate') return json(res, 404, { error: 'not_found' });
    const grant = form.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      if (form.get('device_code') !== DEVICE_CODE) return json(res, 400, { error: 'invalid_grant' });
      if (state.device === 'pending') return json(res, 400, { error: 'authorization_pending' });
      if (state.device === 'slow_down') return json(res, 400, { error: 'slow_down' });
      if (state.device === 'denied') return json(res, 400, { error: 'access_denied' });
      return issue(state, res);
    }
    if (grant === 'refresh_token') {
      const refreshToken = form.get('refresh_token') ?? '';
      const organizationId = form.get('organization_id') ?? undefined;
      state.refreshes.push({ refreshToken, organizationId });
      if (!state.refreshTokens.delete(refreshToken)) return json(res, 400, { error: 'invalid_grant' });
      return issue(state, res, organizationId);
    }
    return json(res, 400, { error: 'unsupported_grant_type' });
  };
}

export function startFakeWorkos(state: FakeWorkosState): Promise<FakeUpstream> {
  return startFakeUpstream(workosHandler(state));
}
