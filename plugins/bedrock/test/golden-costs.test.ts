/**
 * Golden cost fixtures of the Bedrock plugin. A bedrock account answers in Anthropic's
 * wire format (the event stream re-emitted as Anthropic SSE), so its usage is read by the
 * Anthropic protocol's codec. Through the global profile (`global.`) it is priced by the
 * Claude price table, at Anthropic's list prices; through a regional endpoint (`us.`,
 * `eu.`, `jp.`, ... profiles and in-region ids) Sonnet 4.5, Haiku 4.5 and later models cost
 * 10% more, priced by the Bedrock table under the Bedrock id called (the adapter's
 * `priceModel`). Each streamed fixture is built from real event-stream frames run through
 * the plugin's decoder; every fixture is then also served by a fake Bedrock and relayed
 * through a gateway whose usage record must carry the same cost and the Bedrock id served.
 *
 * Expected costs are computed by hand (USD per million tokens: one token at $1/M is one
 * micro-dollar). Cache writes 1.25x input (5m) and 2x (1h), cache reads 0.1x; regional 1.1x all.
 */
import { expect } from 'chai';
import {
  computeGoldenCosts,
  createTestGateway,
  describeGoldenCosts,
  sendRequest,
  type GoldenCostCase,
  type TestGateway,
  type FakeUpstream,
} from '@switchyard/core/testing';
import { anthropicUsageCodec, claudePlugin, claudePricing } from '@switchyard/plugin-claude';
import { BEDROCK_MODEL_IDS, bedrockPlugin, bedrockPricing, eventStreamToSse } from '../src/index.js';
import {
  FAKE_API_KEY,
  anthropicEvents,
  chunkFrame,
  startFakeBedrock,
  writeBedrockStream,
  writeBedrockUnary,
} from './fake-bedrock.js';

/** The Anthropic SSE the plugin emits for a Bedrock stream with `usage`. */
async function emittedSse(model: string, usage: Record<string, unknown>): Promise<string> {
  let out = '';
  for await (const piece of eventStreamToSse(anthropicEvents({ model, usage }).map(chunkFrame))) out += piece.toString('utf8');
  return out;
}

function unary(model: string, usage: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'msg_bdrk_golden',
    type: 'message',
    role: 'assistant',
    model,
    content: [{ type: 'text', text: 'Golden.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage,
  };
}

type Profile = 'none' | 'global' | 'us' | 'eu' | 'jp' | 'au' | 'apac';

interface BedrockCase {
  name: string;
  model: string;
  /** The account's inference profile (default `global`). */
  profile?: Profile;
  /** The price entry expected to price it. */
  pricedAs?: string;
  stream: boolean;
  usage: Record<string, unknown>;
  expectedMicros: number;
  expectedUsage: GoldenCostCase['expectedUsage'];
}

const CASES: BedrockCase[] = [
  {
    name: 'unary Sonnet 4.5 with the 5m/1h cache-write split and cache reads',
    model: 'claude-sonnet-4-5-20250929',
    stream: false,
    usage: {
      input_tokens: 2_000,
      output_tokens: 500,
      cache_creation_input_tokens: 1_400,
      cache_read_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 400 },
    },
    // 2000x3 + 500x15 + 1000x3.75 + 400x6 + 3000x0.3 = 6000 + 7500 + 3750 + 2400 + 900
    expectedMicros: 20_550,
    expectedUsage: {
      inputTokens: 2_000,
      outputTokens: 500,
      cacheWrite5mTokens: 1_000,
      cacheWrite1hTokens: 400,
      cacheReadTokens: 3_000,
    },
  },
  {
    name: 'streamed Haiku 4.5 with cache reads, output in message_delta',
    model: 'claude-haiku-4-5-20251001',
    stream: true,
    usage: { input_tokens: 1_200, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 10_000 },
    // 1200x1 + 300x5 + 10000x0.1 = 1200 + 1500 + 1000
    expectedMicros: 3_700,
    expectedUsage: { inputTokens: 1_200, outputTokens: 300, cacheReadTokens: 10_000 },
  },
  {
    name: 'streamed Opus 4.5, legacy undivided cache_creation_input_tokens counted as 5m writes',
    model: 'claude-opus-4-5-20251101',
    stream: true,
    usage: { input_tokens: 100, output_tokens: 50, cache_creation_input_tokens: 800, cache_read_input_tokens: 0 },
    // 100x5 + 50x25 + 800x6.25 = 500 + 1250 + 5000
    expectedMicros: 6_750,
    expectedUsage: { inputTokens: 100, outputTokens: 50, cacheWrite5mTokens: 800 },
  },
  {
    name: 'streamed Sonnet 4.5 above 200k prompt tokens, at the long-context prices',
    model: 'claude-sonnet-4-5-20250929',
    stream: true,
    usage: { input_tokens: 210_000, output_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    // 210000x6 + 1000x22.5 = 1260000 + 22500
    expectedMicros: 1_282_500,
    expectedUsage: { inputTokens: 210_000, outputTokens: 1_000 },
  },
  {
    name: 'unary Sonnet 4.5 through the us. profile: the same answer as the first, 10% above list',
    model: 'claude-sonnet-4-5-20250929',
    profile: 'us',
    pricedAs: 'us.anthropic.claude-sonnet-4-5*',
    stream: false,
    usage: {
      input_tokens: 2_000,
      output_tokens: 500,
      cache_creation_input_tokens: 1_400,
      cache_read_input_tokens: 3_000,
      cache_creation: { ephemeral_5m_input_tokens: 1_000, ephemeral_1h_input_tokens: 400 },
    },
    // 2000x3.3 + 500x16.5 + 1000x4.125 + 400x6.6 + 3000x0.33 = 6600 + 8250 + 4125 + 2640 + 990
    expectedMicros: 22_605,
    expectedUsage: {
      inputTokens: 2_000,
      outputTokens: 500,
      cacheWrite5mTokens: 1_000,
      cacheWrite1hTokens: 400,
      cacheReadTokens: 3_000,
    },
  },
  {
    name: 'streamed Haiku 4.5 through the eu. profile, with cache reads',
    model: 'claude-haiku-4-5-20251001',
    profile: 'eu',
    pricedAs: 'eu.anthropic.claude-haiku-4-5*',
    stream: true,
    usage: { input_tokens: 1_200, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 10_000 },
    // 1200x1.1 + 300x5.5 + 10000x0.11 = 1320 + 1650 + 1100
    expectedMicros: 4_070,
    expectedUsage: { inputTokens: 1_200, outputTokens: 300, cacheReadTokens: 10_000 },
  },
  {
    name: 'streamed Opus 4.6 through the jp. profile above 200k prompt tokens, at the regional long-context prices',
    model: 'claude-opus-4-6',
    profile: 'jp',
    pricedAs: 'jp.anthropic.claude-opus-4-6*',
    stream: true,
    usage: { input_tokens: 210_000, output_tokens: 1_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    // 210000x11 + 1000x41.25 = 2310000 + 41250
    expectedMicros: 2_351_250,
    expectedUsage: { inputTokens: 210_000, outputTokens: 1_000 },
  },
  {
    name: 'unary Sonnet 4.5 by its in-region id (no profile), 10% above list',
    model: 'claude-sonnet-4-5-20250929',
    profile: 'none',
    pricedAs: 'anthropic.claude-sonnet-4-5*',
    stream: false,
    usage: { input_tokens: 1_000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    // 1000x3.3 + 100x16.5 = 3300 + 1650
    expectedMicros: 4_950,
    expectedUsage: { inputTokens: 1_000, outputTokens: 100 },
  },
  {
    name: 'unary Sonnet 4 through the us. profile: no regional premium before Sonnet 4.5, list price',
    model: 'claude-sonnet-4-20250514',
    profile: 'us',
    pricedAs: 'claude-sonnet-4-2025*',
    stream: false,
    usage: { input_tokens: 1_000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    // 1000x3 + 100x15 = 3000 + 1500
    expectedMicros: 4_500,
    expectedUsage: { inputTokens: 1_000, outputTokens: 100 },
  },
];

/** The Bedrock id an account with `profile` calls for `model` (what the adapter gives as `priceModel`). */
function bedrockIdOf(model: string, profile: Profile): string {
  return `${profile === 'none' ? '' : `${profile}.`}${BEDROCK_MODEL_IDS[model]!}`;
}

/** The price tables a gateway loading both plugins merges. */
const PRICES = { ...claudePricing, ...bedrockPricing };

describe('bedrock golden costs', () => {
  const fixtures: GoldenCostCase[] = [];
  before(async () => {
    for (const c of CASES) {
      fixtures.push({
        name: c.name,
        model: c.model,
        priceModel: bedrockIdOf(c.model, c.profile ?? 'global'),
        ...(c.stream ? { stream: await emittedSse(c.model, c.usage) } : { json: unary(c.model, c.usage) }),
        expectedMicros: c.expectedMicros,
        expectedUsage: c.expectedUsage,
      });
    }
  });

  // describeGoldenCosts registers its tests when called, before the streamed fixtures
  // exist (the decoder is async): those are priced by computeGoldenCosts in a test below.
  describeGoldenCosts('bedrock unary answers (Anthropic JSON as Bedrock returns it)', {
    codec: anthropicUsageCodec,
    prices: PRICES,
    cases: CASES.filter((c) => !c.stream).map((c) => ({
      name: c.name,
      model: c.model,
      priceModel: bedrockIdOf(c.model, c.profile ?? 'global'),
      json: unary(c.model, c.usage),
      expectedMicros: c.expectedMicros,
      expectedUsage: c.expectedUsage,
    })),
  });

  it('prices every streamed fixture, decoded from event-stream frames, to the micro-dollar', () => {
    const streamed = fixtures.filter((fixture) => fixture.stream !== undefined);
    expect(streamed).to.have.length(CASES.filter((c) => c.stream).length);
    for (const result of computeGoldenCosts(anthropicUsageCodec, PRICES, streamed)) {
      const fixture = streamed.find((f) => f.name === result.name)!;
      expect(result.micros, result.name).to.equal(fixture.expectedMicros);
      expect(result.priced, result.name).to.equal(true);
      expect(result.usage, result.name).to.include(fixture.expectedUsage);
    }
  });

  it('prices the global profile at list price: only regional ids have Bedrock entries', () => {
    expect(Object.keys(bedrockPricing).filter((key) => key.startsWith('global.'))).to.deep.equal([]);
    expect(bedrockPricing['us.anthropic.claude-sonnet-4-5*']).to.include({ input: 3.3, output: 16.5, cacheRead: 0.33 });
  });

  describe('relayed through a gateway to a fake Bedrock', function () {
    this.timeout(20_000);
    let fake: FakeUpstream;
    let tg: TestGateway | undefined;
    beforeEach(async () => {
      fake = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
    });
    afterEach(async () => {
      await tg?.close();
      tg = undefined;
      await fake.close();
    });

    for (const c of CASES) {
      const profile = c.profile ?? 'global';
      it(`records ${c.name} at ${c.expectedMicros} micro-dollars`, async () => {
        tg = await createTestGateway({
          plugins: [claudePlugin, bedrockPlugin],
          accounts: [
            {
              type: 'bedrock',
              name: 'b',
              settings: { inferenceProfile: profile },
              credentials: { region: 'us-west-2', apiKey: FAKE_API_KEY, baseUrl: fake.url },
            },
          ],
        });
        fake.setHandler((_req, res) =>
          c.stream
            ? writeBedrockStream(res, { model: c.model, usage: c.usage, intervalMs: 0 })
            : writeBedrockUnary(res, { model: c.model, usage: c.usage }),
        );
        const res = await sendRequest(`${tg.url}/v1/messages`, {
          headers: { authorization: `Bearer ${tg.key}`, 'anthropic-version': '2023-06-01' },
          body: { model: c.model, max_tokens: 16, stream: c.stream, messages: [{ role: 'user', content: 'hi' }] },
        });
        expect(res.status, res.text().slice(0, 200)).to.equal(200);
        const [record] = await tg.usageRecords();
        expect(record!.costMicros).to.equal(c.expectedMicros);
        expect(record!.usage).to.include(c.expectedUsage);
        expect(record!.servedModel).to.equal(bedrockIdOf(c.model, profile));
        expect(fake.requests[0]!.path).to.equal(
          `/model/${encodeURIComponent(bedrockIdOf(c.model, profile))}/${c.stream ? 'invoke-with-response-stream' : 'invoke'}`,
        );
        if (c.pricedAs) expect(record!.pricedAs).to.equal(c.pricedAs);
        expect(record!.flags).to.equal(undefined);
      });
    }
  });
});
