/**
 * The `ccr` account type runs the provider conformance suite on the Claude plugin's
 * `/api` mount (Claude Code's `x-api-key`) against a fake router on 127.0.0.1. The body
 * is rewritten (the `ccr,` prefix removed), so it is not forwarded byte for byte.
 */
import { describeProviderConformance } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { ccrPlugin } from '../src/index.js';
import { CCR_USAGE, startFakeCcr, writeCcrError, writeCcrStream, writeCcrUnary } from './fake-ccr-upstream.js';

const SECRET = 'ccr-router-secret-4b7e21';
const MODEL = 'ccr,openrouter,deepseek/deepseek-chat';

describeProviderConformance({
  name: 'ccr on /api with x-api-key',
  plugin: ccrPlugin,
  plugins: [claudePlugin],
  accountType: 'ccr',
  routePath: '/api/v1/messages',
  startUpstream: () => startFakeCcr(),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: upstreamUrl }),
  clientHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': '2023-06-01', 'x-claude-code-session-id': 'conformance' }),
  requests: {
    unary: { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
    stream: { model: MODEL, max_tokens: 64, stream: true, messages: [{ role: 'user', content: 'hi' }] },
  },
  upstream: {
    unary: (res) => writeCcrUnary(res),
    stream: (res) => writeCcrStream(res, { intervalMs: 30 }),
    error: (res, status) => writeCcrError(res, status),
  },
  expectedUsage: { inputTokens: CCR_USAGE.input_tokens, outputTokens: CCR_USAGE.output_tokens },
  forwardsBodyVerbatim: false,
  probe: { ok: true },
  secret: SECRET,
});
