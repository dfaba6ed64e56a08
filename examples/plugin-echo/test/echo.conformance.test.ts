/**
 * The echo plugin runs the provider conformance suite every provider plugin runs.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import echoPlugin from '../src/index.js';
import { ECHO_USAGE, startFakeEchoUpstream, writeEchoError, writeEchoStream, writeEchoUnary } from './fake-echo-upstream.js';

const SECRET = 'echo-secret-3f9a1c7e5b2d4a60';

describeProviderConformance({
  name: 'echo',
  plugin: echoPlugin,
  accountType: 'echo-key',
  routePath: '/echo/v1/echo',
  startUpstream: () => startFakeEchoUpstream(),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({ authorization: `Bearer ${key}`, 'x-echo-session': 'conformance' }),
  requests: {
    unary: { model: 'echo-1', input: 'hello there' },
    stream: { model: 'echo-1', input: 'hello there', stream: true },
  },
  upstream: {
    unary: (res) => writeEchoUnary(res),
    stream: (res) => writeEchoStream(res, { intervalMs: 30 }),
    error: (res, status) => writeEchoError(res, status),
  },
  expectedUsage: { inputTokens: ECHO_USAGE.input_tokens, outputTokens: ECHO_USAGE.output_tokens },
  secret: SECRET,
});
