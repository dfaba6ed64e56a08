/**
 * Golden cost fixtures of the CCR plugin: answers as Claude Code Router writes them
 * (unary, and streams whose input count comes only in `message_delta`), read by the
 * adapter's usage readers and priced by the model the router served (see `pricedModel`)
 * in the Claude plugin's table; then the same answers relayed through a gateway whose
 * usage record must carry the same cost and flag. Costs are computed by hand in the
 * comments (USD per million tokens = micro-dollars per token).
 */
import type http from 'node:http';
import { expect } from 'chai';
import {
  computeGoldenCosts,
  createTestGateway,
  describeGoldenCosts,
  sendRequest,
  startFakeUpstream,
  type GoldenCostCase,
} from '@switchyard/core/testing';
import type { UsageCodec } from '@switchyard/plugin-api';
import { claudePlugin, claudePricing } from '@switchyard/plugin-claude';
import { ccrPlugin } from '../src/index.js';
import { anthropicStreamUsageTap, unaryAnthropicUsage } from '../src/anthropic-usage.js';
import { pricedBy, pricedUsage } from '../src/ccr-usage-tap.js';
import { ccrFrames } from './fake-ccr-upstream.js';

/** The adapter's reading of usage for a request that named `requested`. */
const codec = (requested: string): UsageCodec => ({
  fromJson: (body) => pricedUsage(unaryAnthropicUsage(body), requested),
  createStreamTap: () => pricedBy(anthropicStreamUsageTap(), requested),
});

function sse(model: string, usage: Record<string, unknown>): string {
  return ccrFrames({ model, usage })
    .map((frame) => `event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`)
    .join('');
}

function unary(model: string, usage: Record<string, unknown>): Record<string, unknown> {
  return { id: 'msg_g', type: 'message', role: 'assistant', model, content: [], stop_reason: 'end_turn', usage };
}

type CcrCase = GoldenCostCase & { priced: boolean };

const CASES: CcrCase[] = [
  {
    name: 'unary, ccr,<provider>,<claude model>: priced by the model after the provider segment',
    model: 'ccr,anthropic,claude-sonnet-4-5',
    json: unary('claude-sonnet-4-5', { input_tokens: 1_000, output_tokens: 200, cache_read_input_tokens: 4_000 }),
    // 1000 x 3 + 200 x 15 + 4000 x 0.3 = 3000 + 3000 + 1200
    expectedMicros: 7_200,
    expectedUsage: { inputTokens: 1_000, outputTokens: 200, cacheReadTokens: 4_000 },
    priced: true,
  },
  {
    name: 'stream, input count only in message_delta (Claude Code Router), claude-haiku-4-5',
    model: 'ccr,openrouter,claude-haiku-4-5',
    stream: sse('claude-haiku-4-5', { input_tokens: 5_000, output_tokens: 800, cache_read_input_tokens: 0 }),
    // 5000 x 1 + 800 x 5 = 5000 + 4000
    expectedMicros: 9_000,
    expectedUsage: { inputTokens: 5_000, outputTokens: 800 },
    priced: true,
  },
  {
    name: 'the router names another model than the route asked for: the route decides the price',
    model: 'ccr,openrouter,claude-opus-4-5',
    json: unary('anthropic/claude-opus-4.5', { input_tokens: 100, output_tokens: 100 }),
    // 100 x 5 + 100 x 25 = 500 + 2500
    expectedMicros: 3_000,
    priced: true,
  },
  {
    name: 'ccr,<model> without a provider: the model the router reports it served',
    model: 'ccr,default-route',
    json: unary('claude-haiku-4-5', { input_tokens: 2_000, output_tokens: 100 }),
    // 2000 x 1 + 100 x 5 = 2000 + 500
    expectedMicros: 2_500,
    priced: true,
  },
  {
    name: 'a model no table knows: unpriced, cost 0',
    model: 'ccr,openrouter,deepseek/deepseek-chat',
    json: unary('deepseek/deepseek-chat', { input_tokens: 10_000, output_tokens: 1_000 }),
    expectedMicros: 0,
    expectedUsage: { inputTokens: 10_000, outputTokens: 1_000, model: 'deepseek/deepseek-chat' },
    priced: false,
  },
];

for (const fixture of CASES.filter((candidate) => candidate.priced)) {
  describeGoldenCosts(`ccr (${fixture.model})`, { codec: codec(fixture.model), prices: claudePricing, cases: [fixture] });
}

describe('golden costs: ccr, a model no table knows', () => {
  it('reads the usage and leaves it unpriced', () => {
    for (const fixture of CASES.filter((candidate) => !candidate.priced)) {
      const [result] = computeGoldenCosts(codec(fixture.model), claudePricing, [fixture]);
      expect(result, fixture.name).to.include({ priced: false, micros: fixture.expectedMicros });
      expect(result!.usage, fixture.name).to.include(fixture.expectedUsage);
    }
  });
});

describe('golden costs: ccr through the gateway', function () {
  this.timeout(30_000);

  it('records each fixture with the same cost and priced flag', async () => {
    let current: CcrCase = CASES[0]!;
    const upstream = await startFakeUpstream((_req, res: http.ServerResponse) => {
      if (current.stream !== undefined) {
        res.writeHead(200, { 'content-type': 'text/event-stream' }).end(current.stream);
      } else {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(current.json));
      }
    });
    const tg = await createTestGateway({
      plugins: [claudePlugin, ccrPlugin],
      accounts: [{ type: 'ccr', name: 'router', credentials: { apiKey: 'golden-router-key', baseUrl: upstream.url } }],
    });
    try {
      for (const fixture of CASES) {
        current = fixture;
        const res = await sendRequest(`${tg.url}/v1/messages`, {
          headers: { authorization: `Bearer ${tg.key}`, 'anthropic-version': '2023-06-01' },
          body: {
            model: fixture.model,
            max_tokens: 8,
            stream: fixture.stream !== undefined,
            messages: [{ role: 'user', content: 'x' }],
          },
        });
        expect(res.status, res.text()).to.equal(200);
        const [record] = await tg.usageRecords();
        expect(record!.model, fixture.name).to.equal(fixture.model);
        expect(record, fixture.name).to.include({ costMicros: fixture.expectedMicros, priced: fixture.priced });
      }
    } finally {
      await tg.close();
      await upstream.close();
    }
  });
});
