/**
 * The provider conformance suite for `droid` accounts, against a fake Factory API on
 * 127.0.0.1, on each of the three `/droid` routes: Anthropic Messages with an API key,
 * OpenAI Responses with a signed-in access token, and chat completions (comm) with an
 * API key.
 */
import type http from 'node:http';
import { describeProviderConformance, startFakeUpstream } from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import droidPlugin from '../src/index.js';
import {
  ANTHROPIC_USAGE,
  CHAT_USAGE,
  RESPONSES_USAGE,
  writeAnthropicStream,
  writeAnthropicUnary,
  writeChatStream,
  writeChatUnary,
  writeFactoryError,
  writeResponsesStream,
  writeResponsesUnary,
} from './fake-factory.js';

const SECRET = 'fk-droid-conformance-key-9b2e7c41d05a';
const plugins = [claudePlugin, openaiPlugin];
const error = (res: http.ServerResponse, status: number) => writeFactoryError(res, status);

describeProviderConformance({
  name: 'droid (anthropic endpoint, API key)',
  plugin: droidPlugin,
  plugins,
  accountType: 'droid',
  routePath: '/droid/claude/v1/messages',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ apiKeys: [SECRET], baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01' }),
  requests: {
    unary: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
    stream: { model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], stream: true },
  },
  upstream: {
    unary: (res) => writeAnthropicUnary(res),
    stream: (res) => writeAnthropicStream(res, { intervalMs: 30 }),
    error,
  },
  expectedUsage: {
    inputTokens: ANTHROPIC_USAGE.input_tokens,
    outputTokens: ANTHROPIC_USAGE.output_tokens,
    cacheReadTokens: ANTHROPIC_USAGE.cache_read_input_tokens,
  },
  secret: SECRET,
});

describeProviderConformance({
  name: 'droid (openai endpoint, signed in)',
  plugin: droidPlugin,
  plugins,
  accountType: 'droid',
  routePath: '/droid/openai/v1/responses',
  startUpstream: () => startFakeUpstream(() => undefined),
  // Far from expiry: no refresh is due.
  credentials: (upstreamUrl) => ({ accessToken: SECRET, expiresAt: '2999-01-01T00:00:00Z', baseUrl: upstreamUrl }),
  requests: {
    unary: { model: 'gpt-5', input: 'hi' },
    stream: { model: 'gpt-5', input: 'hi', stream: true },
  },
  upstream: {
    unary: (res) => writeResponsesUnary(res),
    stream: (res) => writeResponsesStream(res, { intervalMs: 30 }),
    error,
  },
  expectedUsage: {
    inputTokens: RESPONSES_USAGE.input_tokens - RESPONSES_USAGE.input_tokens_details.cached_tokens,
    cacheReadTokens: RESPONSES_USAGE.input_tokens_details.cached_tokens,
    outputTokens: RESPONSES_USAGE.output_tokens,
  },
  secret: SECRET,
});

describeProviderConformance({
  name: 'droid (comm endpoint, API key)',
  plugin: droidPlugin,
  plugins,
  accountType: 'droid',
  routePath: '/droid/comm/v1/chat/completions',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ apiKeys: [SECRET], baseUrl: upstreamUrl }),
  requests: {
    unary: { model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] },
    // Asks for usage itself, so the client's bytes go upstream unchanged.
    stream: {
      model: 'glm-4.6',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    },
  },
  upstream: {
    unary: (res) => writeChatUnary(res),
    stream: (res) => writeChatStream(res, { intervalMs: 30 }),
    error,
  },
  expectedUsage: { inputTokens: CHAT_USAGE.prompt_tokens, outputTokens: CHAT_USAGE.completion_tokens },
  secret: SECRET,
});
