/**
 * Golden costs of OpenAI answers as the gateway records them: exact ids, family
 * patterns, cached input, and the priority tier (repriced by the plugin's enricher).
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
import openaiPlugin from '../src/index.js';
import { priorityPrice } from '../src/priority-pricing.js';

const USAGE = {
  prompt_tokens: 1_000_000,
  completion_tokens: 100_000,
  total_tokens: 1_100_000,
  prompt_tokens_details: { cached_tokens: 400_000 },
};

describe('openai pricing', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;
  beforeEach(async () => {
    fake = await startFakeUpstream((req, res) => {
      const body = req.json<{ model: string; service_tier?: string }>();
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          model: body.model,
          service_tier: body.service_tier ?? 'default',
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          usage: USAGE,
        }),
      );
    });
    tg = await createTestGateway({
      plugins: [openaiPlugin],
      accounts: [{ type: 'openai-api', name: 'o', credentials: { apiKey: 'sk-pricing-000000', baseUrl: `${fake.url}/v1` } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  const cases: [string, string | undefined, number, string][] = [
    // 600k input × 1.25 + 400k cached × 0.125 + 100k output × 10 = $0.75 + $0.05 + $1.00
    ['gpt-5', undefined, 1_800_000, 'exact id, cached input'],
    // gpt-4.1-mini family pattern: 600k × 0.4 + 400k × 0.1 + 100k × 1.6 = $0.24 + $0.04 + $0.16
    ['gpt-4.1-mini-2025-04-14', undefined, 440_000, 'family pattern'],
    // priority: 600k × 2.5 + 400k × 0.25 + 100k × 20 = $1.5 + $0.1 + $2.0
    ['gpt-5', 'priority', 3_600_000, 'priority tier'],
    // o4-mini priority: 600k × 2 + 400k × 0.5 + 100k × 8 = $1.2 + $0.2 + $0.8
    ['o4-mini-2025-04-16', 'priority', 2_200_000, 'priority tier via pattern'],
  ];

  for (const [model, tier, micros, what] of cases) {
    it(`costs ${model}${tier ? ` (${tier})` : ''}: ${what}`, async () => {
      const res = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
        headers: { authorization: `Bearer ${tg.key}` },
        body: { model, messages: [{ role: 'user', content: 'hi' }], ...(tier ? { service_tier: tier } : {}) },
      });
      expect(res.status, res.text()).to.equal(200);
      const [record] = await waitFor(async () => {
        const list = await tg.gateway.store.usage.list();
        return list.length > 0 ? list : undefined;
      });
      expect(record!.usage).to.include({ inputTokens: 600_000, cacheReadTokens: 400_000, outputTokens: 100_000 });
      expect(record!.costMicros).to.equal(micros);
    });
  }

  it('finds priority prices by exact id before patterns', () => {
    expect(priorityPrice('gpt-5-mini')?.entry).to.equal('gpt-5-mini');
    expect(priorityPrice('gpt-5-mini-2025-08-07')?.entry).to.equal('gpt-5-mini*');
    expect(priorityPrice('gpt-5.1-2025-11-13')?.entry).to.equal('gpt-5*');
    expect(priorityPrice('davinci-002')).to.equal(undefined);
  });
});
