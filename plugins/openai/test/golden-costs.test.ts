/**
 * Golden cost fixtures of the OpenAI plugin: Chat Completions usage (unary, and the
 * final `include_usage` chunk of a stream) with `prompt_tokens_details.cached_tokens`
 * split out; Responses usage (unary, `response.completed` and `response.incomplete`
 * events, the ChatGPT Codex backend) with `input_tokens_details.cached_tokens` split out
 * and `output_tokens_details.reasoning_tokens` kept inside the output count; and the
 * priority service tier, repriced by the plugin's enricher. Each fixture is read by the
 * plugin's codec and priced by its table, then served by a fake upstream on 127.0.0.1
 * and relayed through a gateway whose usage record must carry the same counts and cost,
 * to the micro-dollar.
 *
 * openai-pricing.test.ts already prices unary chat answers (cached input, patterns,
 * priority); this file adds the streams, the Responses shapes and the dated snapshot
 * ids upstream reports. Expected costs are computed by hand in the comments (USD per
 * million tokens = micro-dollars per token).
 */
import type http from 'node:http';
import { expect } from 'chai';
import {
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
import { openaiPlugin } from '../src/index.js';
import { chatUsageCodec } from '../src/chat-usage-codec.js';
import { openAiPricing } from '../src/openai-pricing.js';
import { priorityPrice } from '../src/priority-pricing.js';
import { responsesUsageCodec } from '../src/responses-usage-codec.js';

type Route = 'chat' | 'responses' | 'codex';

/**
 * A fixture. `expectedMicros` is the standard-tier cost the codec and price table give;
 * `priorityMicros`, when set, is what the gateway records after the priority enricher.
 */
type OpenAiCase = GoldenCostCase & { route: Route; priorityMicros?: number; pricedAs?: string };

/** Chat Completions SSE: `data:` chunks, the usage chunk (empty choices), `[DONE]`. */
function chatStream(model: string, usage: Record<string, unknown>, serviceTier = 'default'): string {
  const base = {
    id: 'chatcmpl-golden',
    object: 'chat.completion.chunk',
    created: 1_764_000_000,
    model,
    service_tier: serviceTier,
    system_fingerprint: 'fp_golden',
  };
  const chunks = [
    {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      usage: null,
    },
    { ...base, choices: [{ index: 0, delta: { content: 'Golden ' }, logprobs: null, finish_reason: null }], usage: null },
    { ...base, choices: [{ index: 0, delta: { content: 'answer.' }, logprobs: null, finish_reason: null }], usage: null },
    { ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null },
    { ...base, choices: [], usage },
  ];
  return `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`;
}

function chatUnary(model: string, usage: Record<string, unknown>, serviceTier = 'default'): Record<string, unknown> {
  return {
    id: 'chatcmpl-golden',
    object: 'chat.completion',
    created: 1_764_000_000,
    model,
    service_tier: serviceTier,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Golden answer.', refusal: null }, finish_reason: 'stop' }],
    usage,
  };
}

/** A Responses `response` object. */
function response(
  model: string,
  status: string,
  usage: Record<string, unknown> | null,
  serviceTier = 'default',
): Record<string, unknown> {
  return {
    id: 'resp_golden',
    object: 'response',
    created_at: 1_764_000_000,
    status,
    model,
    service_tier: serviceTier,
    output:
      status === 'in_progress'
        ? []
        : [
            {
              type: 'message',
              id: 'msg_golden',
              role: 'assistant',
              status: 'completed',
              content: [{ type: 'output_text', text: 'Golden answer.', annotations: [] }],
            },
          ],
    ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
    usage,
  };
}

/** Responses SSE: typed events, usage only on the final `response.completed`/`response.incomplete`. */
function responsesStream(
  model: string,
  usage: Record<string, unknown>,
  options: { serviceTier?: string; final?: 'response.completed' | 'response.incomplete' } = {},
): string {
  const tier = options.serviceTier ?? 'default';
  const final = options.final ?? 'response.completed';
  const events: [string, Record<string, unknown>][] = [
    ['response.created', { response: response(model, 'in_progress', null, 'auto') }],
    ['response.in_progress', { response: response(model, 'in_progress', null, 'auto') }],
    [
      'response.output_item.added',
      { output_index: 0, item: { type: 'message', id: 'msg_golden', role: 'assistant', status: 'in_progress', content: [] } },
    ],
    ['response.output_text.delta', { item_id: 'msg_golden', output_index: 0, content_index: 0, delta: 'Golden answer.' }],
    ['response.output_text.done', { item_id: 'msg_golden', output_index: 0, content_index: 0, text: 'Golden answer.' }],
    [final, { response: response(model, final === 'response.completed' ? 'completed' : 'incomplete', usage, tier) }],
  ];
  return events
    .map(([type, data], index) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: index, ...data })}\n\n`)
    .join('');
}

const CHAT: OpenAiCase[] = [
  {
    name: 'chat unary: cached prompt tokens split out, reasoning tokens stay in the output (o3)',
    route: 'chat',
    model: 'o3-2025-04-16',
    json: chatUnary('o3-2025-04-16', {
      prompt_tokens: 5_000,
      completion_tokens: 3_000,
      total_tokens: 8_000,
      prompt_tokens_details: { cached_tokens: 1_024, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 2_500,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    }),
    // o3 (pattern o3-*): $2 in, $0.50 cached, $8 out.
    // (5000 - 1024)x2 + 1024x0.5 + 3000x8 = 7952 + 512 + 24000
    expectedMicros: 32_464,
    expectedUsage: { inputTokens: 3_976, cacheReadTokens: 1_024, outputTokens: 3_000, reasoningTokens: 2_500 },
  },
  {
    name: 'chat SSE: usage in the final include_usage chunk (gpt-4o snapshot)',
    route: 'chat',
    model: 'gpt-4o-2024-11-20',
    stream: chatStream('gpt-4o-2024-11-20', {
      prompt_tokens: 3_000,
      completion_tokens: 150,
      total_tokens: 3_150,
      prompt_tokens_details: { cached_tokens: 1_024 },
      completion_tokens_details: { reasoning_tokens: 0 },
    }),
    // gpt-4o*: $2.50 in, $1.25 cached, $10 out: 1976x2.5 + 1024x1.25 + 150x10 = 4940 + 1280 + 1500
    expectedMicros: 7_720,
    expectedUsage: { inputTokens: 1_976, cacheReadTokens: 1_024, outputTokens: 150 },
  },
  {
    name: 'chat SSE, priority tier reported in the chunks (gpt-4.1)',
    route: 'chat',
    model: 'gpt-4.1-2025-04-14',
    stream: chatStream(
      'gpt-4.1-2025-04-14',
      { prompt_tokens: 2_000, completion_tokens: 100, total_tokens: 2_100, prompt_tokens_details: { cached_tokens: 1_000 } },
      'priority',
    ),
    // standard gpt-4.1*: 1000x2 + 1000x0.5 + 100x8 = 2000 + 500 + 800
    expectedMicros: 3_300,
    // priority gpt-4.1*: 1000x3.5 + 1000x0.875 + 100x14 = 3500 + 875 + 1400
    priorityMicros: 5_775,
    pricedAs: 'gpt-4.1* (priority)',
    expectedUsage: { inputTokens: 1_000, cacheReadTokens: 1_000, outputTokens: 100 },
  },
  {
    name: 'chat unary, priority tier of a dated mini snapshot is priced as the mini, not the family (gpt-4.1-mini)',
    route: 'chat',
    model: 'gpt-4.1-mini-2025-04-14',
    json: chatUnary(
      'gpt-4.1-mini-2025-04-14',
      {
        prompt_tokens: 100_000,
        completion_tokens: 10_000,
        total_tokens: 110_000,
        prompt_tokens_details: { cached_tokens: 50_000 },
      },
      'priority',
    ),
    // standard gpt-4.1-mini*: 50000x0.4 + 50000x0.1 + 10000x1.6 = 20000 + 5000 + 16000
    expectedMicros: 41_000,
    // priority gpt-4.1-mini: 50000x0.7 + 50000x0.175 + 10000x2.8 = 35000 + 8750 + 28000
    priorityMicros: 71_750,
    pricedAs: 'gpt-4.1-mini* (priority)',
  },
  {
    name: 'chat unary, priority tier of a dated gpt-4o-mini snapshot',
    route: 'chat',
    model: 'gpt-4o-mini-2024-07-18',
    json: chatUnary(
      'gpt-4o-mini-2024-07-18',
      { prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000 },
      'priority',
    ),
    // standard gpt-4o-mini*: 1000000x0.15 + 100000x0.6 = 150000 + 60000
    expectedMicros: 210_000,
    // priority gpt-4o-mini: 1000000x0.25 + 100000x1 = 250000 + 100000
    priorityMicros: 350_000,
    pricedAs: 'gpt-4o-mini* (priority)',
  },
  {
    name: 'chat unary, "priority" for a model without a priority price keeps the standard price (gpt-5-nano)',
    route: 'chat',
    model: 'gpt-5-nano-2025-08-07',
    json: chatUnary(
      'gpt-5-nano-2025-08-07',
      { prompt_tokens: 1_000_000, completion_tokens: 100_000, total_tokens: 1_100_000 },
      'priority',
    ),
    // gpt-5-nano*: 1000000x0.05 + 100000x0.4 = 50000 + 40000 (there is no gpt-5-nano priority price)
    expectedMicros: 90_000,
    priorityMicros: 90_000,
    pricedAs: 'gpt-5-nano*',
  },
];

const RESPONSES: OpenAiCase[] = [
  {
    name: 'responses unary: cached input split out, reasoning inside output (gpt-5-mini)',
    route: 'responses',
    model: 'gpt-5-mini-2025-08-07',
    json: response('gpt-5-mini-2025-08-07', 'completed', {
      input_tokens: 120_000,
      input_tokens_details: { cached_tokens: 100_000 },
      output_tokens: 9_000,
      output_tokens_details: { reasoning_tokens: 6_000 },
      total_tokens: 129_000,
    }),
    // gpt-5-mini*: $0.25 in, $0.025 cached, $2 out: 20000x0.25 + 100000x0.025 + 9000x2 = 5000 + 2500 + 18000
    expectedMicros: 25_500,
    expectedUsage: { inputTokens: 20_000, cacheReadTokens: 100_000, outputTokens: 9_000, reasoningTokens: 6_000 },
  },
  {
    name: 'responses SSE: usage of response.completed (gpt-5-codex), half a micro-dollar rounds up',
    route: 'responses',
    model: 'gpt-5-codex',
    stream: responsesStream('gpt-5-codex', {
      input_tokens: 45_678,
      input_tokens_details: { cached_tokens: 40_960 },
      output_tokens: 1_234,
      output_tokens_details: { reasoning_tokens: 1_024 },
      total_tokens: 46_912,
    }),
    // gpt-5-codex: $1.25 in, $0.125 cached, $10 out:
    // 4718x1.25 + 40960x0.125 + 1234x10 = 5897.5 + 5120 + 12340 = 23357.5 -> 23358
    expectedMicros: 23_358,
    expectedUsage: { inputTokens: 4_718, cacheReadTokens: 40_960, outputTokens: 1_234, reasoningTokens: 1_024 },
  },
  {
    name: 'responses SSE, priority tier on response.completed (gpt-5)',
    route: 'responses',
    model: 'gpt-5-2025-08-07',
    stream: responsesStream(
      'gpt-5-2025-08-07',
      {
        input_tokens: 10_000,
        input_tokens_details: { cached_tokens: 8_000 },
        output_tokens: 2_000,
        output_tokens_details: { reasoning_tokens: 1_500 },
        total_tokens: 12_000,
      },
      { serviceTier: 'priority' },
    ),
    // standard gpt-5*: 2000x1.25 + 8000x0.125 + 2000x10 = 2500 + 1000 + 20000
    expectedMicros: 23_500,
    // priority gpt-5*: 2000x2.5 + 8000x0.25 + 2000x20 = 5000 + 2000 + 40000
    priorityMicros: 47_000,
    pricedAs: 'gpt-5* (priority)',
  },
  {
    name: 'responses unary, priority tier via pattern (o3 snapshot)',
    route: 'responses',
    model: 'o3-2025-04-16',
    json: response(
      'o3-2025-04-16',
      'completed',
      {
        input_tokens: 4_000,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 1_000,
        output_tokens_details: { reasoning_tokens: 800 },
        total_tokens: 5_000,
      },
      'priority',
    ),
    // standard o3-*: 4000x2 + 1000x8 = 8000 + 8000
    expectedMicros: 16_000,
    // priority o3-*: 4000x3.5 + 1000x14 = 14000 + 14000
    priorityMicros: 28_000,
    pricedAs: 'o3-* (priority)',
  },
  {
    name: 'responses SSE cut by max_output_tokens: usage of response.incomplete (gpt-4.1-nano)',
    route: 'responses',
    model: 'gpt-4.1-nano',
    stream: responsesStream(
      'gpt-4.1-nano',
      {
        input_tokens: 1_000,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 500,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 1_500,
      },
      { final: 'response.incomplete' },
    ),
    // gpt-4.1-nano: $0.10 in, $0.40 out: 1000x0.1 + 500x0.4 = 100 + 200
    expectedMicros: 300,
    expectedUsage: { inputTokens: 1_000, outputTokens: 500, cacheReadTokens: 0 },
  },
  {
    name: 'ChatGPT Codex backend SSE (openai-codex account, gpt-5.1-codex-mini)',
    route: 'codex',
    model: 'gpt-5.1-codex-mini',
    stream: responsesStream('gpt-5.1-codex-mini', {
      input_tokens: 50_000,
      input_tokens_details: { cached_tokens: 49_152 },
      output_tokens: 700,
      output_tokens_details: { reasoning_tokens: 512 },
      total_tokens: 50_700,
    }),
    // gpt-5.1-codex-mini: $0.25 in, $0.025 cached, $2 out:
    // 848x0.25 + 49152x0.025 + 700x2 = 212 + 1228.8 + 1400 = 2840.8 -> 2841
    expectedMicros: 2_841,
    expectedUsage: { inputTokens: 848, cacheReadTokens: 49_152, outputTokens: 700, reasoningTokens: 512 },
  },
];

describeGoldenCosts('openai chat (Chat Completions usage)', { codec: chatUsageCodec, prices: openAiPricing, cases: CHAT });
describeGoldenCosts('openai responses (Responses usage, API and Codex backend)', {
  codec: responsesUsageCodec,
  prices: openAiPricing,
  cases: RESPONSES,
});

/** Writes a fixture as upstream would: JSON in one piece, or SSE in small pieces. */
async function serveFixture(res: http.ServerResponse, fixtureCase: OpenAiCase): Promise<void> {
  if (fixtureCase.stream === undefined) {
    res
      .writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_golden' })
      .end(JSON.stringify(fixtureCase.json));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_golden' });
  await writeInPieces(res, fixtureCase.stream, 89);
}

const UPSTREAM_PATH: Record<Route, string> = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  codex: '/backend-api/codex/responses',
};
const CODEX_TOKEN = 'codex-golden-access-token-0001';

describe('golden costs: openai through a gateway (fake OpenAI API and Codex backend on 127.0.0.1)', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let api: TestGateway;
  let codex: TestGateway;
  let current: OpenAiCase;

  before(async () => {
    fake = await startFakeUpstream(async (req, res) => {
      if (req.method !== 'POST' || req.path !== UPSTREAM_PATH[current.route]) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no ${req.path}`, type: 'invalid_request_error', code: null } }));
        return;
      }
      await serveFixture(res, current);
    });
    api = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: [
        { type: 'openai-api', name: 'api', credentials: { apiKey: 'sk-golden-costs-000000', baseUrl: `${fake.url}/v1` } },
      ],
    });
    codex = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: [
        {
          type: 'openai-codex',
          name: 'codex',
          credentials: {
            accessToken: CODEX_TOKEN,
            refreshToken: 'codex-golden-refresh',
            expiresAt: Date.now() + 3_600_000,
            accountId: 'acct-golden',
            baseUrl: `${fake.url}/backend-api/codex`,
          },
        },
      ],
    });
  });
  after(async () => {
    await api?.close();
    await codex?.close();
    await fake?.close();
  });

  for (const fixtureCase of [...CHAT, ...RESPONSES]) {
    it(fixtureCase.name, async () => {
      current = fixtureCase;
      const tg = fixtureCase.route === 'codex' ? codex : api;
      const seen = new Set((await tg.gateway.store.usage.list()).map((entry) => entry.id));
      const stream = fixtureCase.stream !== undefined;
      const body =
        fixtureCase.route === 'chat'
          ? {
              model: fixtureCase.model,
              messages: [{ role: 'user', content: 'hi' }],
              stream,
              ...(stream ? { stream_options: { include_usage: true } } : {}),
            }
          : { model: fixtureCase.model, input: 'hi', stream, store: false };
      const path = fixtureCase.route === 'chat' ? '/openai/v1/chat/completions' : '/openai/v1/responses';
      const res = await sendRequest(`${tg.url}${path}`, { headers: { authorization: `Bearer ${tg.key}` }, body });
      expect(res.status, res.text()).to.equal(200);
      const record = await waitFor(async () => (await tg.gateway.store.usage.list()).find((entry) => !seen.has(entry.id)));
      expect(record.stream).to.equal(stream);
      expect(record.status).to.equal(200);
      expect(record.usage).to.deep.include(fixtureCase.expectedUsage ?? {});
      expect(record.costMicros, 'cost in micro-dollars').to.equal(fixtureCase.priorityMicros ?? fixtureCase.expectedMicros);
      expect(record.priced).to.equal(true);
      if (fixtureCase.pricedAs) expect(record.pricedAs).to.equal(fixtureCase.pricedAs);
    });
  }
});

describe('golden costs: openai priority prices follow the standard entry', () => {
  it('prices dated snapshots of smaller models by their own priority entry, and models without one not at all', () => {
    expect(priorityPrice('gpt-4o-mini-2024-07-18')?.entry).to.equal('gpt-4o-mini*');
    expect(priorityPrice('gpt-4.1-mini-2025-04-14')?.entry).to.equal('gpt-4.1-mini*');
    expect(priorityPrice('gpt-4.1-nano-2025-04-14')?.entry).to.equal('gpt-4.1-nano*');
    expect(priorityPrice('gpt-4o-2024-11-20')?.entry).to.equal('gpt-4o*');
    expect(priorityPrice('gpt-5-nano-2025-08-07'), 'no gpt-5-nano priority price').to.equal(undefined);
    expect(priorityPrice('gpt-5.1-codex-mini'), 'no codex-mini priority price').to.equal(undefined);
    expect(priorityPrice('o3-mini-2025-01-31'), 'no o3-mini priority price').to.equal(undefined);
  });
});
