/**
 * The provider conformance suite for `gemini-api`, on `/v1beta` with SSE and on `/v1`
 * with the JSON-array stream.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import geminiPlugin from '../src/index.js';
import {
  GEMINI_USAGE,
  startFakeGemini,
  writeGeminiArray,
  writeGeminiSse,
  writeGeminiUnary,
  writeGoogleError,
} from './fake-gemini-upstream.js';

const SECRET = 'AIza-gemini-secret-5c2e8f1a9d3b7e40';
const expectedUsage = {
  inputTokens: GEMINI_USAGE.promptTokenCount - GEMINI_USAGE.cachedContentTokenCount,
  cacheReadTokens: GEMINI_USAGE.cachedContentTokenCount,
  outputTokens: GEMINI_USAGE.candidatesTokenCount + GEMINI_USAGE.thoughtsTokenCount,
  reasoningTokens: GEMINI_USAGE.thoughtsTokenCount,
};
const body = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] };

for (const variant of [
  { version: 'v1beta', query: '?alt=sse', stream: writeGeminiSse },
  { version: 'v1', query: '', stream: writeGeminiArray },
]) {
  describeProviderConformance({
    name: `gemini-api (${variant.version}${variant.query ? ', SSE' : ', JSON array stream'})`,
    plugin: geminiPlugin,
    accountType: 'gemini-api',
    routePath: `/gemini/${variant.version}/models/gemini-2.5-pro:generateContent`,
    streamRoutePath: `/gemini/${variant.version}/models/gemini-2.5-pro:streamGenerateContent${variant.query}`,
    startUpstream: () => startFakeGemini(),
    credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: upstreamUrl }),
    clientHeaders: (key) => ({ 'x-goog-api-key': key }),
    requests: { unary: body, stream: body },
    upstream: {
      unary: (res) => writeGeminiUnary(res),
      stream: (res) => variant.stream(res, { intervalMs: 30 }),
      error: (res, status) => writeGoogleError(res, status),
    },
    expectedUsage,
    secret: SECRET,
  });
}
