/**
 * Golden cost fixtures of the Claude plugin: every Anthropic usage shape (the 5m/1h
 * cache-write split, the legacy undivided `cache_creation_input_tokens`, streams whose
 * `message_delta` repeats the cumulative counts, the long-context tier, an unknown
 * model), read by the plugin's codec and priced by its table, then served by a fake
 * Anthropic API on 127.0.0.1 and relayed through a gateway whose usage record must
 * carry the same token counts and cost, to the micro-dollar.
 *
 * Expected costs are computed by hand in the comments (USD per million tokens, so one
 * token at $1/M is one micro-dollar), never by the code under test. Claude list prices:
 * cache writes 1.25x input (5m) and 2x input (1h), cache reads 0.1x input.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import { expect } from 'chai';
import {
  computeGoldenCosts,
  createTestGateway,
  describeGoldenCosts,
  sendRequest,
  startFakeUpstream,
  waitFor,
  writeInPieces,
  type FakeUpstream,
  type GoldenCostCase,
  type TestGateway,
} from '@switchyard/core/testing';
import { anthropicUsageCodec, claudePricing, claudePlugin } from '../src/index.js';
import { anthropicFrames } from './fake-anthropic-upstream.js';

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** An Anthropic SSE stream as raw text, from the fake upstream's canned frames. */
function anthropicStream(model: string, usage: Record<string, unknown>, deltaUsage?: Record<string, unknown>): string {
  const frames = anthropicFrames({ model, usage, text: 'Golden fixture answer.' });
  if (deltaUsage) {
    const delta = frames.find((frame) => frame.event === 'message_delta')!;
    (delta.data as Record<string, unknown>).usage = deltaUsage;
  }
  return frames.map((frame) => `event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`).join('');
}

function unary(model: string, usage: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'msg_golden',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'Golden fixture answer.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

/** A fixture, plus what the gateway's record must say when it differs from the codec-level quote. */
type ClaudeCase = GoldenCostCase & { priced?: boolean; pricedAs?: string };

const SPLIT_USAGE = {
  input_tokens: 2_000,
  output_tokens: 1_500,
  cache_creation_input_tokens: 14_000,
  cache_read_input_tokens: 50_000,
  cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 4_000 },
  service_tier: 'standard',
};

const LONG_CONTEXT_USAGE = {
  input_tokens: 150_000,
  output_tokens: 2_000,
  cache_creation_input_tokens: 10_000,
  cache_read_input_tokens: 60_000,
  cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 0 },
};

const PRICED: ClaudeCase[] = [
  {
    name: 'unary, 5m/1h cache-write split and cache reads (claude-opus-4-5)',
    model: 'claude-opus-4-5-20251101',
    json: unary('claude-opus-4-5-20251101', SPLIT_USAGE),
    // Opus 4.5: $5 in, $25 out, $6.25 5m write, $10 1h write, $0.50 read.
    // 2000x5 + 1500x25 + 10000x6.25 + 4000x10 + 50000x0.5 = 10000 + 37500 + 62500 + 40000 + 25000
    expectedMicros: 175_000,
    expectedUsage: {
      inputTokens: 2_000,
      outputTokens: 1_500,
      cacheWrite5mTokens: 10_000,
      cacheWrite1hTokens: 4_000,
      cacheReadTokens: 50_000,
    },
  },
  {
    name: 'streamed, the same split in message_start, output in message_delta',
    model: 'claude-opus-4-5-20251101',
    stream: anthropicStream('claude-opus-4-5-20251101', SPLIT_USAGE),
    // as above: 175000
    expectedMicros: 175_000,
    expectedUsage: {
      inputTokens: 2_000,
      outputTokens: 1_500,
      cacheWrite5mTokens: 10_000,
      cacheWrite1hTokens: 4_000,
      cacheReadTokens: 50_000,
    },
  },
  {
    name: 'streamed, message_delta repeating cumulative input and cache counts without the split',
    model: 'claude-sonnet-4-5-20250929',
    stream: anthropicStream(
      'claude-sonnet-4-5-20250929',
      {
        input_tokens: 3,
        output_tokens: 1,
        cache_creation_input_tokens: 6_000,
        cache_read_input_tokens: 20_000,
        cache_creation: { ephemeral_5m_input_tokens: 2_000, ephemeral_1h_input_tokens: 4_000 },
      },
      { input_tokens: 3, cache_creation_input_tokens: 6_000, cache_read_input_tokens: 20_000, output_tokens: 812 },
    ),
    // Sonnet 4.5: $3 in, $15 out, $3.75 5m write, $6 1h write, $0.30 read.
    // 3x3 + 812x15 + 2000x3.75 + 4000x6 + 20000x0.3 = 9 + 12180 + 7500 + 24000 + 6000
    expectedMicros: 49_689,
    expectedUsage: {
      inputTokens: 3,
      outputTokens: 812,
      cacheWrite5mTokens: 2_000,
      cacheWrite1hTokens: 4_000,
      cacheReadTokens: 20_000,
    },
  },
  {
    name: 'unary, legacy shape: only cache_creation_input_tokens, counted as 5m writes (claude-3-5-haiku)',
    model: 'claude-3-5-haiku-20241022',
    json: unary('claude-3-5-haiku-20241022', {
      input_tokens: 1_234,
      output_tokens: 567,
      cache_creation_input_tokens: 3_000,
      cache_read_input_tokens: 8_901,
    }),
    // Haiku 3.5: $0.80 in, $4 out, $1 5m write, $0.08 read.
    // 1234x0.8 + 567x4 + 3000x1 + 8901x0.08 = 987.2 + 2268 + 3000 + 712.08 = 6967.28 -> 6967
    expectedMicros: 6_967,
    expectedUsage: {
      inputTokens: 1_234,
      outputTokens: 567,
      cacheWrite5mTokens: 3_000,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 8_901,
    },
  },
  {
    name: 'streamed, legacy shape, recorded CRLF stream (claude-3-5-haiku)',
    model: 'claude-3-5-haiku-20241022',
    stream: fixture('legacy-cache-crlf-stream.sse'),
    // 7x0.8 + 9x4 + 500x1 + 40x0.08 = 5.6 + 36 + 500 + 3.2 = 544.8 -> 545
    expectedMicros: 545,
    expectedUsage: { inputTokens: 7, outputTokens: 9, cacheWrite5mTokens: 500, cacheWrite1hTokens: 0, cacheReadTokens: 40 },
  },
  {
    name: 'streamed, long context: prompt 220k (150k input + 10k writes + 60k reads) > 200k, whole request at tier prices',
    model: 'claude-sonnet-4-20250514',
    stream: anthropicStream('claude-sonnet-4-20250514', LONG_CONTEXT_USAGE),
    // Sonnet 4 above 200k: $6 in, $22.50 out, $7.50 5m write, $0.60 read.
    // 150000x6 + 2000x22.5 + 10000x7.5 + 60000x0.6 = 900000 + 45000 + 75000 + 36000
    expectedMicros: 1_056_000,
    expectedUsage: { inputTokens: 150_000, outputTokens: 2_000, cacheWrite5mTokens: 10_000, cacheReadTokens: 60_000 },
  },
  {
    name: 'unary, long context with 1h writes (claude-opus-4-6 above 200k)',
    model: 'claude-opus-4-6',
    json: unary('claude-opus-4-6', {
      input_tokens: 300_000,
      output_tokens: 10_000,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 1_000 },
    }),
    // Opus 4.6 above 200k: $10 in, $37.50 out, $20 1h write.
    // 300000x10 + 10000x37.5 + 1000x20 = 3000000 + 375000 + 20000
    expectedMicros: 3_395_000,
    expectedUsage: { inputTokens: 300_000, outputTokens: 10_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 1_000 },
  },
  {
    name: 'unary, exactly 200k prompt tokens stays at the base prices (claude-sonnet-4-6)',
    model: 'claude-sonnet-4-6',
    json: unary('claude-sonnet-4-6', { input_tokens: 100_000, output_tokens: 1_000, cache_read_input_tokens: 100_000 }),
    // not above 200k: 100000x3 + 1000x15 + 100000x0.3 = 300000 + 15000 + 30000
    expectedMicros: 345_000,
  },
];

/** Models the table does not know for sure: the records are flagged `priced: false`. */
const UNPRICED: ClaudeCase[] = [
  {
    name: 'recorded Claude Code stream of a model newer than the table (assumed Opus price, flagged)',
    model: 'claude-opus-4-8',
    stream: fixture('claude-code-stream.sse'),
    // claude-opus-* assumed at Opus 4.5 prices:
    // 12x5 + 200x25 + 1000x6.25 + 2000x10 + 10000x0.5 = 60 + 5000 + 6250 + 20000 + 5000
    expectedMicros: 36_310,
    expectedUsage: {
      inputTokens: 12,
      outputTokens: 200,
      cacheWrite5mTokens: 1_000,
      cacheWrite1hTokens: 2_000,
      cacheReadTokens: 10_000,
    },
    priced: false,
    pricedAs: 'claude-opus-*',
  },
  {
    name: 'unary, a model no entry matches: the configured fallback price',
    model: 'mystery-model-1',
    json: unary('mystery-model-1', { input_tokens: 1_000, output_tokens: 500, cache_read_input_tokens: 2_000 }),
    // usage.fallbackPrice below: $2 in, $8 out, $0.20 read: 1000x2 + 500x8 + 2000x0.2 = 2000 + 4000 + 400
    expectedMicros: 6_400,
    expectedUsage: { inputTokens: 1_000, outputTokens: 500, cacheReadTokens: 2_000 },
    priced: false,
    pricedAs: 'fallback',
  },
];

const FALLBACK_PRICE = { input: 2, output: 8, cacheRead: 0.2 };

describeGoldenCosts('claude (Anthropic Messages usage)', { codec: anthropicUsageCodec, prices: claudePricing, cases: PRICED });

describe('golden costs: claude, unpriced models at the codec level', () => {
  it('reads the usage; the assumed entry prices it, an unknown model costs nothing without a fallback', () => {
    const [assumed, unknown] = computeGoldenCosts(anthropicUsageCodec, claudePricing, UNPRICED);
    expect(assumed!.usage).to.deep.include(UNPRICED[0]!.expectedUsage!);
    expect(assumed!.micros).to.equal(36_310);
    expect(unknown!.usage).to.deep.include({ ...UNPRICED[1]!.expectedUsage!, model: 'mystery-model-1' });
    expect(unknown).to.deep.include({ micros: 0, priced: false });
  });
});

/** Writes a fixture as upstream would: JSON in one piece, or SSE in small network-sized pieces. */
async function serveFixture(res: http.ServerResponse, fixtureCase: GoldenCostCase): Promise<void> {
  if (fixtureCase.stream === undefined) {
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_golden' }).end(JSON.stringify(fixtureCase.json));
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': 'req_golden',
  });
  await writeInPieces(res, fixtureCase.stream, 97);
}

describe('golden costs: claude through a gateway (fake Anthropic API on 127.0.0.1)', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway;
  let current: ClaudeCase;

  before(async () => {
    fake = await startFakeUpstream(async (req, res) => {
      if (req.method !== 'POST' || req.path !== '/v1/messages') {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"type":"error","error":{"type":"not_found_error","message":"no"}}');
        return;
      }
      await serveFixture(res, current);
    });
    tg = await createTestGateway({
      plugins: [claudePlugin],
      // models ["*"]: like an Anthropic-compatible endpoint, this account also serves the unpriced mystery model.
      accounts: [
        {
          type: 'claude-console',
          name: 'console',
          credentials: { apiKey: 'sk-ant-api03-golden-costs-0001', baseUrl: fake.url },
          settings: { models: ['*'] },
        },
      ],
      config: { usage: { fallbackPrice: FALLBACK_PRICE } },
    });
  });
  after(async () => {
    await tg?.close();
    await fake?.close();
  });

  for (const fixtureCase of [...PRICED, ...UNPRICED]) {
    it(fixtureCase.name, async () => {
      current = fixtureCase;
      const seen = new Set((await tg.gateway.store.usage.list()).map((entry) => entry.id));
      const stream = fixtureCase.stream !== undefined;
      const res = await sendRequest(`${tg.url}/api/v1/messages`, {
        headers: { 'x-api-key': tg.key, 'anthropic-version': '2023-06-01' },
        body: { model: fixtureCase.model, max_tokens: 64, stream, messages: [{ role: 'user', content: 'hi' }] },
      });
      expect(res.status, res.text()).to.equal(200);
      const record = await waitFor(async () => (await tg.gateway.store.usage.list()).find((entry) => !seen.has(entry.id)));
      expect(record.stream).to.equal(stream);
      expect(record.status).to.equal(200);
      expect(record.usage).to.deep.include(fixtureCase.expectedUsage ?? {});
      expect(record.costMicros, 'cost in micro-dollars').to.equal(fixtureCase.expectedMicros);
      expect(record.priced, 'priced').to.equal(fixtureCase.priced ?? true);
      if (fixtureCase.pricedAs) expect(record.pricedAs).to.equal(fixtureCase.pricedAs);
    });
  }
});
