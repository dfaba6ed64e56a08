/**
 * Golden costs of Gemini answers as the gateway records them: exact ids, family
 * patterns, cached tokens, thoughts billed as output, and the long-prompt tier.
 */
import { expect } from 'chai';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import geminiPlugin from '../src/index.js';

describe('gemini pricing', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;
  let usage: Record<string, number>;
  beforeEach(async () => {
    fake = await startFakeUpstream((req, res) => {
      const model = /models\/([^:]+):/.exec(req.path)?.[1];
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
          usageMetadata: usage,
          modelVersion: model,
        }),
      );
    });
    tg = await createTestGateway({
      plugins: [geminiPlugin],
      accounts: [{ type: 'gemini-api', name: 'g', credentials: { apiKey: 'AIza-pricing', baseUrl: fake.url } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  const cases: [string, Record<string, number>, number, string][] = [
    // 100k prompt (20k cached) → 80k × 1.25 + 20k × 0.125 + (10k + 5k thoughts) × 10 = 0.1 + 0.0025 + 0.15
    [
      'gemini-2.5-pro',
      { promptTokenCount: 100_000, cachedContentTokenCount: 20_000, candidatesTokenCount: 10_000, thoughtsTokenCount: 5_000 },
      252_500,
      'under 200k',
    ],
    // 250k prompt → long-context tier for the whole request: 250k × 2.5 + 10k × 15 = 0.625 + 0.15
    ['gemini-2.5-pro', { promptTokenCount: 250_000, candidatesTokenCount: 10_000 }, 775_000, 'over 200k: tier prices'],
    // gemini-3-pro-preview over 200k: 300k × 4 + 1k × 18 = 1.2 + 0.018
    ['gemini-3-pro-preview', { promptTokenCount: 300_000, candidatesTokenCount: 1_000 }, 1_218_000, 'gemini 3 tier'],
    // pattern gemini-2.5-flash-lite*: 1M × 0.1 + 1M × 0.4
    [
      'gemini-2.5-flash-lite-preview-09-2025',
      { promptTokenCount: 1_000_000, candidatesTokenCount: 1_000_000 },
      500_000,
      'family pattern',
    ],
    // pattern gemini-2.5-flash*: 1M × 0.3 + 100k × 2.5
    [
      'gemini-2.5-flash-preview-09-2025',
      { promptTokenCount: 1_000_000, candidatesTokenCount: 100_000 },
      550_000,
      'family pattern',
    ],
  ];

  for (const [model, counts, micros, what] of cases) {
    it(`costs ${model} (${what})`, async () => {
      usage = counts;
      const res = await sendRequest(`${tg.url}/gemini/v1beta/models/${model}:generateContent`, {
        headers: { 'x-goog-api-key': tg.key },
        body: { contents: [] },
      });
      expect(res.status, res.text()).to.equal(200);
      const [record] = await waitFor(async () => {
        const list = await tg.gateway.store.usage.list();
        return list.length > 0 ? list : undefined;
      });
      expect(record!.costMicros).to.equal(micros);
    });
  }
});
