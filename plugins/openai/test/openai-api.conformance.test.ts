/**
 * The provider conformance suite for `openai-api`, on the chat route and the Responses route.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import openaiPlugin from '../src/index.js';
import {
  startFakeOpenAi,
  writeChatStream,
  writeChatUnary,
  writeOpenAiError,
  writeResponsesStream,
  writeResponsesUnary,
} from './fake-openai-upstream.js';

const SECRET = 'sk-openai-secret-7d1e9b3c5a2f4e60';
const expectedUsage = { inputTokens: 12, outputTokens: 7, cacheReadTokens: 8 };

describeProviderConformance({
  name: 'openai-api (chat completions)',
  plugin: openaiPlugin,
  accountType: 'openai-api',
  routePath: '/openai/v1/chat/completions',
  startUpstream: () => startFakeOpenAi(),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: `${upstreamUrl}/v1` }),
  requests: {
    unary: { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] },
    stream: {
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  },
  upstream: {
    unary: (res) => writeChatUnary(res),
    stream: (res) => writeChatStream(res, { intervalMs: 30 }),
    error: (res, status) => writeOpenAiError(res, status),
  },
  expectedUsage,
  secret: SECRET,
});

describeProviderConformance({
  name: 'openai-api (responses)',
  plugin: openaiPlugin,
  accountType: 'openai-api',
  routePath: '/openai/v1/responses',
  startUpstream: () => startFakeOpenAi(),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: `${upstreamUrl}/v1` }),
  requests: {
    unary: { model: 'gpt-5', input: 'hi' },
    stream: { model: 'gpt-5', input: 'hi', stream: true },
  },
  upstream: {
    unary: (res) => writeResponsesUnary(res),
    stream: (res) => writeResponsesStream(res, { intervalMs: 30 }),
    error: (res, status) => writeOpenAiError(res, status),
  },
  expectedUsage,
  secret: SECRET,
});
