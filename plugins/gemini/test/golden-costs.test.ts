/**
 * Golden cost fixtures of the Gemini plugin: `usageMetadata` with cached content split
 * out of the prompt, thoughts billed as output, tool-use prompt tokens, the >200k prompt
 * tier (decided on the whole prompt, cached tokens included), unary JSON, SSE with
 * running totals, a JSON-array stream, and the Code Assist envelope
 * (`{ response: { ..., usageMetadata } }`). Each is read by the plugin's codec and priced
 * by its table, then served by a fake upstream on 127.0.0.1 and relayed through a
 * gateway whose usage record must carry the same counts and cost, to the micro-dollar.
 *
 * gemini-pricing.test.ts already prices unary Gemini API answers by id and pattern;
 * this file adds the stream shapes, the envelope and the edge cases. Expected costs are
 * computed by hand in the comments (USD per million tokens = micro-dollars per token).
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
import { geminiPlugin } from '../src/index.js';
import { geminiPricing } from '../src/gemini-pricing.js';
import { geminiUsageCodec } from '../src/gemini-usage-codec.js';

/** One `GenerateContentResponse` as the Gemini API sends it. */
function answer(model: string, text: string, usageMetadata: Record<string, unknown>, finish = true): Record<string, unknown> {
  return {
    candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(finish ? { finishReason: 'STOP' } : {}), index: 0 }],
    usageMetadata,
    modelVersion: model,
    responseId: 'golden-response-1',
  };
}

/** An `?alt=sse` stream: one `data:` frame per chunk (CRLF line ends, as Google sends them). */
function sse(chunks: readonly unknown[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join('');
}

/** Code Assist wraps each response: `{ response, traceId }`. */
const envelope = (response: Record<string, unknown>): Record<string, unknown> => ({ response, traceId: 'golden-trace-1' });

/**
 * `api`: Gemini API route, gemini-api account. `code-assist`: Code Assist route,
 * gemini-oauth account. `translated`: Gemini API route served by a gemini-oauth account
 * (the plugin translates to Code Assist; upstream answers in envelopes).
 */
type GeminiCase = GoldenCostCase & { route: 'api' | 'code-assist' | 'translated'; arrayStream?: boolean };

const CASES: GeminiCase[] = [
  {
    name: 'API unary: cached content split out, thoughts billed as output (gemini-2.5-flash)',
    route: 'api',
    model: 'gemini-2.5-flash',
    json: answer('gemini-2.5-flash', 'ok', {
      promptTokenCount: 5_000,
      cachedContentTokenCount: 2_000,
      candidatesTokenCount: 1_200,
      thoughtsTokenCount: 800,
      totalTokenCount: 7_000,
    }),
    // Flash 2.5: $0.30 in, $0.03 cached, $2.50 out.
    // (5000 - 2000)x0.3 + 2000x0.03 + (1200 + 800)x2.5 = 900 + 60 + 5000
    expectedMicros: 5_960,
    expectedUsage: { inputTokens: 3_000, cacheReadTokens: 2_000, outputTokens: 2_000, reasoningTokens: 800 },
  },
  {
    name: 'API SSE: running totals, the last usageMetadata wins (gemini-2.5-flash)',
    route: 'api',
    model: 'gemini-2.5-flash',
    stream: sse([
      answer(
        'gemini-2.5-flash',
        'Hel',
        {
          promptTokenCount: 5_000,
          cachedContentTokenCount: 2_000,
          candidatesTokenCount: 3,
          thoughtsTokenCount: 800,
          totalTokenCount: 5_803,
        },
        false,
      ),
      answer(
        'gemini-2.5-flash',
        'lo',
        {
          promptTokenCount: 5_000,
          cachedContentTokenCount: 2_000,
          candidatesTokenCount: 600,
          thoughtsTokenCount: 800,
          totalTokenCount: 6_400,
        },
        false,
      ),
      answer('gemini-2.5-flash', '!', {
        promptTokenCount: 5_000,
        cachedContentTokenCount: 2_000,
        candidatesTokenCount: 1_200,
        thoughtsTokenCount: 800,
        totalTokenCount: 7_000,
      }),
    ]),
    // as the unary case: 900 + 60 + 5000
    expectedMicros: 5_960,
    expectedUsage: { inputTokens: 3_000, cacheReadTokens: 2_000, outputTokens: 2_000 },
  },
  {
    name: 'API SSE over 200k: the tier applies when cached tokens take the prompt above it (gemini-2.5-pro)',
    route: 'api',
    model: 'gemini-2.5-pro',
    stream: sse([
      answer(
        'gemini-2.5-pro',
        'a',
        { promptTokenCount: 210_000, cachedContentTokenCount: 20_000, totalTokenCount: 210_000 },
        false,
      ),
      answer('gemini-2.5-pro', 'b', {
        promptTokenCount: 210_000,
        cachedContentTokenCount: 20_000,
        candidatesTokenCount: 3_000,
        thoughtsTokenCount: 2_000,
        totalTokenCount: 215_000,
      }),
    ]),
    // prompt 210000 > 200k -> Pro 2.5 tier: $2.50 in, $0.25 cached, $15 out.
    // 190000x2.5 + 20000x0.25 + (3000 + 2000)x15 = 475000 + 5000 + 75000
    expectedMicros: 555_000,
    expectedUsage: { inputTokens: 190_000, cacheReadTokens: 20_000, outputTokens: 5_000 },
  },
  {
    name: 'API unary: exactly 200k prompt tokens stays at the base prices (gemini-2.5-pro)',
    route: 'api',
    model: 'gemini-2.5-pro',
    json: answer('gemini-2.5-pro', 'ok', { promptTokenCount: 200_000, candidatesTokenCount: 1_000, totalTokenCount: 201_000 }),
    // 200000x1.25 + 1000x10 = 250000 + 10000
    expectedMicros: 260_000,
  },
  {
    name: 'API unary: tool-use prompt tokens billed as input (gemini-2.5-flash-lite)',
    route: 'api',
    model: 'gemini-2.5-flash-lite',
    json: answer('gemini-2.5-flash-lite', 'ok', {
      promptTokenCount: 1_000,
      toolUsePromptTokenCount: 500,
      candidatesTokenCount: 100,
      totalTokenCount: 1_600,
    }),
    // Flash-Lite 2.5: $0.10 in, $0.40 out: (1000 + 500)x0.1 + 100x0.4 = 150 + 40
    expectedMicros: 190,
    expectedUsage: { inputTokens: 1_500, outputTokens: 100, cacheReadTokens: 0 },
  },
  {
    name: 'API JSON-array stream (no alt=sse): the last element with usage wins (gemini-2.0-flash)',
    route: 'api',
    arrayStream: true,
    model: 'gemini-2.0-flash',
    stream: `[${JSON.stringify(answer('gemini-2.0-flash', 'x', { promptTokenCount: 40_000, cachedContentTokenCount: 32_000, candidatesTokenCount: 10, totalTokenCount: 40_010 }, false))}\r\n,${JSON.stringify(answer('gemini-2.0-flash', 'y', { promptTokenCount: 40_000, cachedContentTokenCount: 32_000, candidatesTokenCount: 2_345, totalTokenCount: 42_345 }))}\r\n]`,
    // Flash 2.0: $0.10 in, $0.025 cached, $0.40 out: 8000x0.1 + 32000x0.025 + 2345x0.4 = 800 + 800 + 938
    expectedMicros: 2_538,
    expectedUsage: { inputTokens: 8_000, cacheReadTokens: 32_000, outputTokens: 2_345 },
  },
  {
    name: 'Code Assist unary envelope { response: { usageMetadata } } (gemini-2.5-pro)',
    route: 'code-assist',
    model: 'gemini-2.5-pro',
    json: envelope(
      answer('gemini-2.5-pro', 'ok', {
        promptTokenCount: 12_345,
        candidatesTokenCount: 678,
        thoughtsTokenCount: 90,
        totalTokenCount: 13_113,
      }),
    ),
    // 12345x1.25 + (678 + 90)x10 = 15431.25 + 7680 = 23111.25 -> 23111
    expectedMicros: 23_111,
    expectedUsage: { inputTokens: 12_345, outputTokens: 768, reasoningTokens: 90 },
  },
  {
    name: 'Code Assist SSE envelopes, cached and thoughts (gemini-3-pro-preview)',
    route: 'code-assist',
    model: 'gemini-3-pro-preview',
    stream: sse([
      envelope(
        answer(
          'gemini-3-pro-preview',
          'a',
          { promptTokenCount: 8_000, cachedContentTokenCount: 4_000, thoughtsTokenCount: 1_500, totalTokenCount: 9_500 },
          false,
        ),
      ),
      envelope(
        answer('gemini-3-pro-preview', 'b', {
          promptTokenCount: 8_000,
          cachedContentTokenCount: 4_000,
          candidatesTokenCount: 500,
          thoughtsTokenCount: 1_500,
          totalTokenCount: 10_000,
        }),
      ),
    ]),
    // Pro 3: $2 in, $0.20 cached, $12 out: 4000x2 + 4000x0.2 + (500 + 1500)x12 = 8000 + 800 + 24000
    expectedMicros: 32_800,
    expectedUsage: { inputTokens: 4_000, cacheReadTokens: 4_000, outputTokens: 2_000, reasoningTokens: 1_500 },
  },
  {
    name: 'Code Assist SSE over 200k (gemini-2.5-pro tier)',
    route: 'code-assist',
    model: 'gemini-2.5-pro',
    stream: sse([
      envelope(answer('gemini-2.5-pro', 'z', { promptTokenCount: 250_001, candidatesTokenCount: 7, totalTokenCount: 250_008 })),
    ]),
    // 250001x2.5 + 7x15 = 625002.5 + 105 = 625107.5 -> 625108 (half up)
    expectedMicros: 625_108,
    expectedUsage: { inputTokens: 250_001, outputTokens: 7 },
  },
  {
    name: 'Gemini API route served by a Code Assist account: SSE envelopes through the translator (gemini-2.5-flash)',
    route: 'translated',
    model: 'gemini-2.5-flash',
    stream: sse([
      envelope(
        answer(
          'gemini-2.5-flash',
          'a',
          { promptTokenCount: 64_000, cachedContentTokenCount: 60_000, candidatesTokenCount: 10, totalTokenCount: 64_010 },
          false,
        ),
      ),
      envelope(
        answer('gemini-2.5-flash', 'b', {
          promptTokenCount: 64_000,
          cachedContentTokenCount: 60_000,
          candidatesTokenCount: 321,
          thoughtsTokenCount: 99,
          totalTokenCount: 64_420,
        }),
      ),
    ]),
    // 4000x0.3 + 60000x0.03 + (321 + 99)x2.5 = 1200 + 1800 + 1050
    expectedMicros: 4_050,
    expectedUsage: { inputTokens: 4_000, cacheReadTokens: 60_000, outputTokens: 420, reasoningTokens: 99 },
  },
  {
    name: 'Gemini API route served by a Code Assist account: unary envelope through the translator (gemini-2.5-pro)',
    route: 'translated',
    model: 'gemini-2.5-pro',
    json: envelope(
      answer('gemini-2.5-pro', 'ok', {
        promptTokenCount: 1_000,
        candidatesTokenCount: 2_000,
        thoughtsTokenCount: 3_000,
        totalTokenCount: 6_000,
      }),
    ),
    // 1000x1.25 + (2000 + 3000)x10 = 1250 + 50000
    expectedMicros: 51_250,
    expectedUsage: { inputTokens: 1_000, outputTokens: 5_000 },
  },
];

describeGoldenCosts('gemini (usageMetadata, Gemini API and Code Assist)', {
  codec: geminiUsageCodec,
  prices: geminiPricing,
  cases: CASES,
});

/** Writes a fixture as upstream would: JSON in one piece, or the stream in small pieces. */
async function serveFixture(res: http.ServerResponse, fixtureCase: GeminiCase): Promise<void> {
  if (fixtureCase.stream === undefined) {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(fixtureCase.json));
    return;
  }
  res.writeHead(200, { 'content-type': fixtureCase.arrayStream ? 'application/json; charset=UTF-8' : 'text/event-stream' });
  await writeInPieces(res, fixtureCase.stream, 101);
}

describe('golden costs: gemini through a gateway (fake Gemini API and Code Assist on 127.0.0.1)', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let api: TestGateway;
  let codeAssist: TestGateway;
  let current: GeminiCase;

  before(async () => {
    fake = await startFakeUpstream(async (req, res) => {
      const apiPath = /^\/v1beta\/models\/[^:]+:(generateContent|streamGenerateContent)$/.test(req.path);
      const codeAssistPath = /^\/v1internal:(generateContent|streamGenerateContent)$/.test(req.path);
      if (req.method !== 'POST' || !(current.route === 'api' ? apiPath : codeAssistPath)) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { code: 404, message: `no ${req.path}`, status: 'NOT_FOUND' } }));
        return;
      }
      await serveFixture(res, current);
    });
    // One gateway per account type: a gemini-oauth account also serves the Gemini API routes
    // (through the Code Assist translator), which is not the shape under test here.
    api = await createTestGateway({
      plugins: [geminiPlugin],
      accounts: [{ type: 'gemini-api', name: 'api', credentials: { apiKey: 'AIza-golden-costs', baseUrl: fake.url } }],
    });
    codeAssist = await createTestGateway({
      plugins: [geminiPlugin],
      accounts: [
        {
          type: 'gemini-oauth',
          name: 'cli',
          credentials: {
            accessToken: 'ya29.golden',
            refreshToken: '1//golden',
            expiresAt: Date.now() + 3_600_000,
            projectId: 'golden-project',
          },
        },
      ],
      config: {
        pluginOptions: {
          gemini: {
            oauth: {
              clientId: 'golden.apps.example',
              clientSecret: 'not-secret',
              tokenUrl: `${fake.url}/token`,
              authorizationUrl: `${fake.url}/auth`,
            },
            codeAssistEndpoint: fake.url,
          },
        },
      },
    });
  });
  after(async () => {
    await api?.close();
    await codeAssist?.close();
    await fake?.close();
  });

  for (const fixtureCase of CASES) {
    it(fixtureCase.name, async () => {
      current = fixtureCase;
      const tg = fixtureCase.route === 'api' ? api : codeAssist;
      const seen = new Set((await tg.gateway.store.usage.list()).map((entry) => entry.id));
      const stream = fixtureCase.stream !== undefined;
      const contents = [{ role: 'user', parts: [{ text: 'hi' }] }];
      const res =
        fixtureCase.route !== 'code-assist'
          ? await sendRequest(
              `${tg.url}/gemini/v1beta/models/${fixtureCase.model}:${stream ? 'streamGenerateContent' : 'generateContent'}${stream && !fixtureCase.arrayStream ? '?alt=sse' : ''}`,
              { headers: { 'x-goog-api-key': tg.key }, body: { contents } },
            )
          : await sendRequest(`${tg.url}/gemini/v1internal:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`, {
              headers: { authorization: `Bearer ${tg.key}` },
              body: { model: fixtureCase.model, project: 'golden-project', request: { contents } },
            });
      expect(res.status, res.text()).to.equal(200);
      const record = await waitFor(async () => (await tg.gateway.store.usage.list()).find((entry) => !seen.has(entry.id)));
      expect(record.accountType).to.equal(fixtureCase.route === 'api' ? 'gemini-api' : 'gemini-oauth');
      expect(record.stream).to.equal(stream);
      expect(record.status).to.equal(200);
      expect(record.usage).to.deep.include(fixtureCase.expectedUsage ?? {});
      expect(record.costMicros, 'cost in micro-dollars').to.equal(fixtureCase.expectedMicros);
      expect(record.priced).to.equal(true);
    });
  }
});
