/**
 * The claude-oauth account type runs the provider conformance suite on `/claude`,
 * with a token that is not due for refresh.
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

const SECRET = 'sk-ant-oat01-conformance-access-token-4b8e';

describeProviderConformance({
  name: 'claude-oauth on /claude',
  plugin: claudePlugin,
  accountType: 'claude-oauth',
  routePath: '/claude/v1/messages',
  startUpstream: () => startFakeAnthropic(),
  // The probe reads the OAuth profile and usage endpoints (plugin options), not the account's baseUrl.
  probe: false,
  credentials: (upstreamUrl) => ({
    accessToken: SECRET,
    refreshToken: 'sk-ant-ort01-conformance-refresh-token-91aa',
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    baseUrl: upstreamUrl,
  }),
  clientHeaders: (key) => ({
    authorization: `Bearer ${key}`,
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'claude-code-20250219',
  }),
  requests: {
    unary: {
      model: 'claude-opus-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { user_id: '{"session_id":"s-1"}' },
    },
    stream: { model: 'claude-opus-4-5', max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] },
  },
  upstream: {
    unary: (res) => writeAnthropicUnary(res),
    stream: (res) => writeAnthropicStream(res, { intervalMs: 30 }),
    error: (res, status) => writeAnthropicError(res, status),
  },
  expectedUsage: { inputTokens: ANTHROPIC_USAGE.input_tokens, outputTokens: ANTHROPIC_USAGE.output_tokens },
  secret: SECRET,
});
