/**
 * A fake Google OAuth token endpoint and Code Assist API on 127.0.0.1, for the
 * `gemini-oauth` tests: `/token` (authorization_code and refresh_token grants),
 * `/v1internal:{method}` (loadCodeAssist, onboardUser, generateContent,
 * streamGenerateContent, countTokens, retrieveUserQuota, listExperiments) and
 * `GET /v1internal/operations/{name}`.
 */
import type http from 'node:http';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '@switchyard/core/testing';
import { writeGeminiSse, writeGeminiUnary, writeGoogleError } from './fake-gemini-upstream.js';

/** What the fake accepts and answers. */
export interface FakeCodeAssistState {
  /** Access tokens the API accepts. */
  validTokens: Set<string>;
  /** The refresh token the token endpoint accepts. */
  refreshToken: string;
  /** The authorization code (and PKCE verifier seen) the token endpoint accepts. */
  code: string;
  /** Tokens handed out, in order. */
  issued: string[];
  /** When true, loadCodeAssist reports no tier, so the user is onboarded. */
  needsOnboarding: boolean;
  /** Polls of the onboarding operation before it is done. */
  pendingPolls: number;
  /** `code_verifier`s the token endpoint received. */
  verifiers: string[];
}

function json(res: http.ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

/** Starts the fake; `state` can be changed by the test at any time. */
export async function startFakeCodeAssist(
  initial: Partial<FakeCodeAssistState> = {},
): Promise<FakeUpstream & { state: FakeCodeAssistState }> {
  const state: FakeCodeAssistState = {
    validTokens: new Set(['ya29.initial-token']),
    refreshToken: '1//refresh-token',
    code: '4/auth-code',
    issued: [],
    needsOnboarding: false,
    pendingPolls: 1,
    verifiers: [],
    ...initial,
  };
  const handler = async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (req.path === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(req.text());
      const grant = form.get('grant_type');
      const ok =
        (grant === 'refresh_token' && form.get('refresh_token') === state.refreshToken) ||
        (grant === 'authorization_code' && form.get('code') === state.code && (form.get('code_verifier') ?? '').length >= 43);
      if (form.get('code_verifier')) state.verifiers.push(form.get('code_verifier')!);
      if (!ok || form.get('client_id') !== 'test-client.apps.example') return json(res, { error: 'invalid_grant' }, 400);
      const token = `ya29.issued-${state.issued.length + 1}`;
      state.issued.push(token);
      state.validTokens.add(token);
      return json(res, {
        access_token: token,
        expires_in: 3599,
        token_type: 'Bearer',
        ...(grant === 'authorization_code' ? { refresh_token: state.refreshToken } : {}),
      });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!state.validTokens.has(token)) return writeGoogleError(res, 401);
    if (req.method === 'GET' && req.path.startsWith('/v1internal/operations/')) {
      state.pendingPolls -= 1;
      return json(
        res,
        state.pendingPolls >= 0
          ? { name: 'operations/onboard-1', done: false }
          : {
              name: 'operations/onboard-1',
              done: true,
              response: { cloudaicompanionProject: { id: 'onboarded-project-9', name: 'p' } },
            },
      );
    }
    const method = /^\/v1internal:(\w+)$/.exec(req.path)?.[1];
    switch (method) {
      case 'loadCodeAssist':
        return json(
          res,
          state.needsOnboarding
            ? { allowedTiers: [{ id: 'free-tier', isDefault: true }, { id: 'standard-tier' }] }
            : {
                currentTier: { id: 'standard-tier', name: 'Standard' },
                cloudaicompanionProject: 'fake-project-123',
                allowedTiers: [{ id: 'standard-tier', isDefault: true }],
              },
        );
      case 'onboardUser':
        state.needsOnboarding = false;
        return json(res, { name: 'operations/onboard-1', done: false });
      case 'retrieveUserQuota':
        return json(res, { buckets: [] });
      case 'listExperiments':
        return json(res, { experimentIds: [], flags: [] });
      case 'countTokens':
        return json(res, { totalTokens: 42 });
      case 'generateContent':
        return writeGeminiUnary(res, { wrap: true });
      case 'streamGenerateContent':
        return writeGeminiSse(res, { wrap: true, intervalMs: 10 });
      default:
        return writeGoogleError(res, 404);
    }
  };
  const fake = await startFakeUpstream(handler);
  return Object.assign(fake, { state });
}
