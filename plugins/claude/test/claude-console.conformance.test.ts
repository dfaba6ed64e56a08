/**
 * The claude-console account type runs the provider conformance suite on the `/api`
 * mount (Claude Code's `x-api-key`) and on the bare root (the SDK's bearer key).
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import {
  ANTHROPIC_USAGE,
  startFakeAnthropic,
  writeAnthropicError,
  writeAnthropicStream,
  writeAnthropicUnary,
} from './fake-anthropic-upstream.js';

const SECRET = 'sk-ant-api03-conformance-secret-7d1e9b';

const requests = {
  unary: { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
  stream: { model: 'claude-sonnet-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] },
};
const upstream = {
  unary: (res: Parameters<typeof writeAnthropicUnary>[0]) => writeAnthropicUnary(res),
  stream: (res: Parameters<typeof writeAnthropicUnary>[0]) => writeAnthropicStream(res, { intervalMs: 30 }),
  error: (res: Parameters<typeof writeAnthropicUnary>[0], status: number) => writeAnthropicError(res, status),
};
const expectedUsage = { inputTokens: ANTHROPIC_USAGE.input_tokens, outputTokens: ANTHROPIC_USAGE.output_tokens };

describeProviderConformance({
  name: 'claude-console on /api with x-api-key',
  plugin: claudePlugin,
  accountType: 'claude-console',
  routePath: '/api/v1/messages',
  startUpstream: () => startFakeAnthropic(),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({
    'x-api-key': key,
    'anthropic-version': '2023-06-01',
    'x-claude-code-session-id': 'conformance-session',
  }),
  requests,
  upstream,
  expectedUsage,
  secret: SECRET,
});

describeProviderConformance({
  name: 'claude-console on the bare root with a bearer key',
  plugin: claudePlugin,
  accountType: 'claude-console',
  routePath: '/v1/messages',
  startUpstream: () => startFakeAnthropic(),
  credentials: (upstreamUrl) => ({ apiKey: 'compatible-gateway-key-5c1f0a', baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({ authorization: `Bearer ${key}`, 'anthropic-version': '2026-10-21' }),
  requests,
  upstream,
  expectedUsage,
  secret: 'compatible-gateway-key-5c1f0a',
});
