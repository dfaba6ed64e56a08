/**
 * The provider conformance suite for `openai-codex` on the Responses route.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import { openaiPlugin } from '../src/index.js';
import { startFakeCodex, writeCodexStream } from './fake-codex-backend.js';
import { writeOpenAiError, writeResponsesUnary } from './fake-openai-upstream.js';

const SECRET = 'codex-access-secret-9e8d7c6b5a41';

describeProviderConformance({
  name: 'openai-codex (responses)',
  plugin: openaiPlugin,
  accountType: 'openai-codex',
  routePath: '/openai/responses',
  startUpstream: () => startFakeCodex({ validTokens: new Set([SECRET]) }),
  credentials: (upstreamUrl) => ({
    accessToken: SECRET,
    refreshToken: 'codex-refresh-1',
    expiresAt: Date.now() + 3_600_000,
    accountId: 'acct-42',
    baseUrl: `${upstreamUrl}/backend-api/codex`,
  }),
  requests: {
    unary: { model: 'gpt-5', input: 'hi', store: false },
    stream: { model: 'gpt-5', input: 'hi', stream: true, store: false },
  },
  upstream: {
    unary: (res) => writeResponsesUnary(res),
    stream: (res) => writeCodexStream(res),
    error: (res, status) => writeOpenAiError(res, status),
  },
  expectedUsage: { inputTokens: 12, outputTokens: 7, cacheReadTokens: 8 },
  secret: SECRET,
});
