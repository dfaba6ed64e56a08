/**
 * The provider conformance suite for `gemini-oauth` on the Code Assist routes
 * (`/gemini/v1internal:generateContent` and `:streamGenerateContent?alt=sse`).
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import { geminiPlugin } from '../src/index.js';
import { startFakeCodeAssist } from './fake-code-assist.js';
import { GEMINI_USAGE, writeGeminiSse, writeGeminiUnary, writeGoogleError } from './fake-gemini-upstream.js';

const SECRET = 'ya29.conformance-secret-1f2e3d4c5b6a';
const envelope = {
  model: 'gemini-2.5-pro',
  project: 'fake-project-123',
  user_prompt_id: 'p-1',
  request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], session_id: 's-1' },
};

describeProviderConformance({
  name: 'gemini-oauth (code assist)',
  plugin: geminiPlugin,
  accountType: 'gemini-oauth',
  routePath: '/gemini/v1internal:generateContent',
  streamRoutePath: '/gemini/v1internal:streamGenerateContent?alt=sse',
  startUpstream: () => startFakeCodeAssist({ validTokens: new Set([SECRET]) }),
  credentials: (upstreamUrl) => ({
    accessToken: SECRET,
    refreshToken: '1//conformance-refresh',
    expiresAt: Date.now() + 3_600_000,
    projectId: 'fake-project-123',
    baseUrl: upstreamUrl,
  }),
  requests: { unary: envelope, stream: envelope },
  upstream: {
    unary: (res) => writeGeminiUnary(res, { wrap: true }),
    stream: (res) => writeGeminiSse(res, { wrap: true, intervalMs: 30 }),
    error: (res, status) => writeGoogleError(res, status),
  },
  expectedUsage: {
    inputTokens: GEMINI_USAGE.promptTokenCount - GEMINI_USAGE.cachedContentTokenCount,
    cacheReadTokens: GEMINI_USAGE.cachedContentTokenCount,
    outputTokens: GEMINI_USAGE.candidatesTokenCount + GEMINI_USAGE.thoughtsTokenCount,
  },
  secret: SECRET,
});
