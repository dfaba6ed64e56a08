/**
 * A fake ChatGPT OAuth token endpoint and Codex backend on 127.0.0.1: `/oauth/token`
 * (authorization_code and refresh_token grants, id tokens carrying the ChatGPT account
 * id) and `POST /backend-api/codex/responses` (typed SSE or JSON, with usage-window
 * headers).
 */
import type http from 'node:http';
import { startFakeUpstream, writeSse, type FakeUpstream, type RecordedRequest } from '@switchyard/core/testing';
import { responsesFrames, writeOpenAiError } from './fake-openai-upstream.js';

/** The usage-window headers every answer carries. */
export const CODEX_WINDOW_HEADERS = {
  'x-codex-primary-used-percent': '42',
  'x-codex-primary-window-minutes': '300',
  'x-codex-primary-reset-after-seconds': '3600',
  'x-codex-secondary-used-percent': '7',
  'x-codex-secondary-window-minutes': '10080',
  'x-codex-secondary-reset-after-seconds': '86400',
};

/** An unsigned JWT with `claims` (the gateway only reads it). */
export function fakeIdToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(claims)}.sig`;
}

/** Mutable state of the fake. */
export interface FakeCodexState {
  validTokens: Set<string>;
  refreshToken: string;
  code: string;
  issued: string[];
}

/** Writes a streamed Codex answer (frames of the Responses API) with window headers. */
export function writeCodexStream(res: http.ServerResponse, frames = responsesFrames(), intervalMs = 30): Promise<void> {
  return writeSse(res, frames, { intervalMs, headers: CODEX_WINDOW_HEADERS });
}

/** Starts the fake. */
export async function startFakeCodex(initial: Partial<FakeCodexState> = {}): Promise<FakeUpstream & { state: FakeCodexState }> {
  const state: FakeCodexState = {
    validTokens: new Set(['codex-access-1']),
    refreshToken: 'codex-refresh-1',
    code: 'codex-code',
    issued: [],
    ...initial,
  };
  const handler = async (req: RecordedRequest, res: http.ServerResponse): Promise<void> => {
    if (req.path === '/oauth/token') {
      const form = new URLSearchParams(req.text());
      const grant = form.get('grant_type');
      const ok =
        form.get('client_id') === 'codex-test-client' &&
        ((grant === 'refresh_token' && form.get('refresh_token') === state.refreshToken) ||
          (grant === 'authorization_code' && form.get('code') === state.code && !!form.get('code_verifier')));
      if (!ok) return writeOpenAiError(res, 400);
      const token = `codex-issued-${state.issued.length + 1}`;
      state.issued.push(token);
      state.validTokens.add(token);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: token,
          refresh_token: state.refreshToken,
          expires_in: 864000,
          id_token: fakeIdToken({
            email: 'dev@example.com',
            'https://api.openai.com/auth': { chatgpt_account_id: 'acct-42', chatgpt_plan_type: 'pro' },
          }),
        }),
      );
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!state.validTokens.has(token) || req.headers['chatgpt-account-id'] !== 'acct-42') return writeOpenAiError(res, 401);
    if (req.method !== 'POST' || req.path !== '/backend-api/codex/responses') return writeOpenAiError(res, 404);
    const body = req.json<{ stream?: boolean }>();
    if (body.stream) return writeCodexStream(res, responsesFrames(), 10);
    const completed = responsesFrames().at(-1)!.data as { response: unknown };
    res.writeHead(200, { 'content-type': 'application/json', ...CODEX_WINDOW_HEADERS }).end(JSON.stringify(completed.response));
  };
  const fake = await startFakeUpstream(handler);
  return Object.assign(fake, { state });
}
