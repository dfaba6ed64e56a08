/**
 * A fake Claude OAuth server for the tests, on 127.0.0.1: the token endpoint
 * (authorization_code and refresh_token grants, JSON bodies, rotating refresh tokens),
 * the profile endpoint and the usage endpoint, each checking the bearer token.
 */
import type http from 'node:http';
import { startFakeUpstream, type FakeUpstream } from '@switchyard/core/testing';

/** The plugin options pointing every OAuth URL at `fake`. */
export function oauthOptionsFor(fake: FakeUpstream, apiUrl?: string): Record<string, unknown> {
  return {
    ...(apiUrl ? { apiUrl } : {}),
    oauth: {
      authorizeUrl: `${fake.url}/oauth/authorize`,
      tokenUrl: `${fake.url}/v1/oauth/token`,
      clientId: 'test-client-id',
      redirectUri: `${fake.url}/callback`,
    },
    profileUrl: `${fake.url}/api/oauth/profile`,
    usageUrl: `${fake.url}/api/oauth/usage`,
  };
}

/** What the fake hands out and accepts. */
export interface FakeOAuthState {
  /** The code the authorization_code grant accepts. */
  code: string;
  /** Refresh tokens the refresh grant accepts (each is used up; the answer rotates it). */
  refreshTokens: Set<string>;
  /** Access tokens the profile and usage endpoints accept. */
  accessTokens: Set<string>;
  /** Counts token grants. */
  grants: number;
  /** Makes the token endpoint answer this status with `invalid_grant`. */
  failWith?: number;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Starts the fake OAuth server. */
export async function startFakeClaudeOAuth(state: FakeOAuthState): Promise<FakeUpstream> {
  return startFakeUpstream(async (req, res) => {
    if (req.method === 'POST' && req.path === '/v1/oauth/token') {
      if (state.failWith)
        return json(res, state.failWith, { error: 'invalid_grant', error_description: 'Refresh token not found or invalid' });
      const body = req.json<Record<string, string>>();
      if (body.client_id !== 'test-client-id') return json(res, 400, { error: 'invalid_client' });
      state.grants += 1;
      const accessToken = `sk-ant-oat01-fresh-access-${state.grants}-abcdef`;
      const refreshToken = `sk-ant-ort01-fresh-refresh-${state.grants}-abcdef`;
      if (body.grant_type === 'authorization_code' && body.code === state.code && body.code_verifier) {
        state.accessTokens.add(accessToken);
        state.refreshTokens.add(refreshToken);
        return json(res, 200, {
          token_type: 'Bearer',
          access_token: accessToken,
          refresh_token: refreshToken,
          expires_in: 28_800,
          scope: 'user:inference user:profile',
          account: { uuid: 'acc-1', email_address: 'max-user@example.com' },
          organization: { uuid: 'org-1', name: 'Org' },
        });
      }
      if (body.grant_type === 'refresh_token' && state.refreshTokens.delete(body.refresh_token ?? '')) {
        // A short pause, so concurrent requests pile up behind the refresh lock.
        await new Promise((resolve) => setTimeout(resolve, 150));
        state.accessTokens.add(accessToken);
        state.refreshTokens.add(refreshToken);
        return json(res, 200, {
          token_type: 'Bearer',
          access_token: accessToken,
          refresh_token: refreshToken,
          expires_in: 28_800,
        });
      }
      return json(res, 400, { error: 'invalid_grant' });
    }
    const token = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!state.accessTokens.has(token))
      return json(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid token' } });
    if (req.headers['anthropic-beta'] !== 'oauth-2025-04-20') return json(res, 400, { error: 'missing oauth beta' });
    if (req.method === 'GET' && req.path === '/api/oauth/profile') {
      return json(res, 200, {
        account: { uuid: 'acc-1', email: 'max-user@example.com', has_claude_max: true, has_claude_pro: false },
        organization: { uuid: 'org-1', organization_type: 'claude_max', rate_limit_tier: 'default_claude_max_20x' },
      });
    }
    if (req.method === 'GET' && req.path === '/api/oauth/usage') {
      return json(res, 200, {
        five_hour: { utilization: 37, resets_at: '2026-11-26T15:00:00Z' },
        seven_day: { utilization: 12.5, resets_at: '2026-11-30T00:00:00Z' },
        seven_day_opus: null,
      });
    }
    json(res, 404, { error: 'not found' });
  });
}
