/** The Acme plugin passes the provider conformance suite, against a fake Acme API on 127.0.0.1. */
import type { ServerResponse } from 'node:http';
import { describeProviderConformance, startFakeUpstream, writeSse } from '@switchyard/core/testing';
import acmePlugin from '../src/index.js';

const SECRET = 'acme-test-key-7d1f29c4';
const USAGE = { input_tokens: 11, output_tokens: 7 };

describeProviderConformance({
  name: 'acme',
  plugin: acmePlugin,
  accountType: 'acme-key',
  routePath: '/acme/v1/chat',
  startUpstream: () => startFakeUpstream(() => undefined),
  credentials: (upstreamUrl) => ({ apiKey: SECRET, baseUrl: upstreamUrl }),
  requests: {
    unary: { model: 'acme-1', input: 'hello' },
    stream: { model: 'acme-1', input: 'hello', stream: true },
  },
  upstream: {
    unary: (res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'acme-1', output: 'hi there', usage: USAGE }));
    },
    stream: (res: ServerResponse) =>
      writeSse(
        res,
        [
          { event: 'delta', data: { text: 'h' } },
          { event: 'delta', data: { text: 'i' } },
          { event: 'delta', data: { text: ' there' } },
          { event: 'delta', data: { text: '!' } },
          { event: 'done', data: { model: 'acme-1', usage: USAGE } },
        ],
        { intervalMs: 30 },
      ),
    error: (res: ServerResponse, status: number) => {
      if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json');
      res.statusCode = status;
      res.end(JSON.stringify({ error: { type: 'upstream', message: `acme says ${status}` } }));
    },
  },
  expectedUsage: { inputTokens: 11, outputTokens: 7 },
  secret: SECRET,
});
