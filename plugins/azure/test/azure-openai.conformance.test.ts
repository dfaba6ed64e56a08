/**
 * The provider conformance suite for `azure-openai`: chat completions on the Azure route
 * (classic API: deployment in the path, client bytes unchanged), chat on the OpenAI
 * route through the v1 API (deployment as the body's model), and the Responses API.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import openaiPlugin from '@switchyard/plugin-openai';
import azurePlugin from '../src/index.js';
import {
  writeAzureChatStream,
  writeAzureChatUnary,
  writeAzureError,
  writeAzureResponsesStream,
  writeAzureResponsesUnary,
} from './fake-azure-openai.js';
import { startFakeUpstream } from '@switchyard/core/testing';

const SECRET = 'azure-conformance-key-5c1e8a2f9d3b7046';
const expectedUsage = { inputTokens: 12, outputTokens: 7, cacheReadTokens: 8 };
const settings = { deployments: { 'gpt-4o': 'prod-gpt4o' } };
const chat = {
  unary: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
  stream: { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } },
};
const chatUpstream = {
  unary: (res: Parameters<typeof writeAzureChatUnary>[0]) => writeAzureChatUnary(res),
  stream: (res: Parameters<typeof writeAzureChatUnary>[0]) => writeAzureChatStream(res, { intervalMs: 30 }),
  error: (res: Parameters<typeof writeAzureChatUnary>[0], status: number) => writeAzureError(res, status),
};

describeProviderConformance({
  name: 'azure-openai (chat completions, classic API)',
  plugin: azurePlugin,
  plugins: [openaiPlugin],
  accountType: 'azure-openai',
  routePath: '/azure/chat/completions',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, endpoint: upstreamUrl }),
  clientHeaders: (key) => ({ 'api-key': key }),
  settings,
  requests: chat,
  upstream: chatUpstream,
  expectedUsage,
  secret: SECRET,
});

describeProviderConformance({
  name: 'azure-openai (chat completions on the OpenAI route, v1 API)',
  plugin: azurePlugin,
  plugins: [openaiPlugin],
  accountType: 'azure-openai',
  routePath: '/openai/v1/chat/completions',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ bearerToken: SECRET, endpoint: upstreamUrl }),
  settings: { ...settings, api: 'v1' },
  requests: chat,
  upstream: chatUpstream,
  expectedUsage,
  secret: SECRET,
  // The v1 API reads the deployment from the body's model.
  forwardsBodyVerbatim: false,
});

describeProviderConformance({
  name: 'azure-openai (responses)',
  plugin: azurePlugin,
  plugins: [openaiPlugin],
  accountType: 'azure-openai',
  routePath: '/azure/responses',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, endpoint: upstreamUrl }),
  settings,
  requests: {
    unary: { model: 'gpt-4o', input: 'hi' },
    stream: { model: 'gpt-4o', input: 'hi', stream: true },
  },
  upstream: {
    unary: (res) => writeAzureResponsesUnary(res),
    stream: (res) => writeAzureResponsesStream(res, { intervalMs: 30 }),
    error: (res, status) => writeAzureError(res, status),
  },
  expectedUsage,
  secret: SECRET,
  forwardsBodyVerbatim: false,
});
