/**
 * The official `@google/genai` SDK through the gateway to a fake Gemini API, on `/v1beta`
 * and `/v1`: unary, streamed, countTokens; plus model lists, the JSON-array stream and
 * Google error JSON.
 */
import { expect } from 'chai';
import { GoogleGenAI } from '@google/genai';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import geminiPlugin from '../src/index.js';
import { startFakeGemini } from './fake-gemini-upstream.js';

const API_KEY = 'AIza-upstream-0123456789';

describe('gemini plugin through the @google/genai SDK', () => {
  let fake: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    fake = await startFakeGemini({ apiKey: API_KEY });
    tg = await createTestGateway({
      plugins: [geminiPlugin],
      accounts: [{ type: 'gemini-api', name: 'g', credentials: { apiKey: API_KEY, baseUrl: fake.url } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  for (const apiVersion of ['v1beta', 'v1']) {
    it(`generates unary and streamed content and counts tokens on /${apiVersion}`, async () => {
      const ai = new GoogleGenAI({ apiKey: tg.key, httpOptions: { baseUrl: `${tg.url}/gemini`, apiVersion } });
      const unary = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' });
      expect(unary.text).to.equal('Hello from Gemini.');
      let text = '';
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: 'hi' }))
        text += chunk.text ?? '';
      expect(text).to.equal('Hello there from the fake Gemini');
      const counted = await ai.models.countTokens({ model: 'gemini-2.5-pro', contents: 'hi' });
      expect(counted.totalTokens).to.equal(42);
      expect(fake.requests.map((request) => request.url)).to.deep.equal([
        `/${apiVersion}/models/gemini-2.5-pro:generateContent`,
        `/${apiVersion}/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
        `/${apiVersion}/models/gemini-2.5-pro:countTokens`,
      ]);
      expect(fake.requests[0]!.headers['x-goog-api-key']).to.equal(API_KEY);
      const records = await waitFor(async () => {
        const list = await tg.gateway.store.usage.list();
        return list.length >= 2 ? list : undefined;
      });
      const streamed = records.find((record) => record.stream)!;
      expect(streamed.usage).to.include({ inputTokens: 12, cacheReadTokens: 8, outputTokens: 8, reasoningTokens: 3 });
      // gemini-2.5-pro: 12 × 1.25 + 8 × 0.125 + 8 × 10 = 96 micro-dollars
      expect(streamed.costMicros).to.equal(96);
    });
  }

  it('streams a JSON array without alt=sse and records its usage', async () => {
    const res = await sendRequest(`${tg.url}/gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=${tg.key}`, {
      body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    });
    expect(res.status, res.text()).to.equal(200);
    const parsed = res.json<Array<{ candidates: unknown[] }>>();
    expect(parsed).to.have.length(6);
    expect(fake.requests[0]!.url).to.equal('/v1beta/models/gemini-2.5-flash:streamGenerateContent');
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length >= 1 ? list : undefined;
    });
    expect(record!.usage).to.include({ inputTokens: 12, outputTokens: 8 });
  });

  it('lists models and answers gateway errors as Google error JSON', async () => {
    const ai = new GoogleGenAI({ apiKey: tg.key, httpOptions: { baseUrl: `${tg.url}/gemini` } });
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? '');
    expect(names).to.include('models/gemini-2.5-pro');
    const one = await sendRequest(`${tg.url}/gemini/v1/models/gemini-2.5-flash`, { headers: { 'x-goog-api-key': tg.key } });
    expect(one.json()).to.include({ name: 'models/gemini-2.5-flash' });
    const anonymous = await sendRequest(`${tg.url}/gemini/v1beta/models/gemini-2.5-pro:generateContent`, {
      body: { contents: [] },
    });
    expect(anonymous.status).to.equal(401);
    expect(anonymous.json<{ error: Record<string, unknown> }>().error).to.include({ code: 401, status: 'UNAUTHENTICATED' });
    expect(fake.requests).to.have.length(0);
  });

  it('classifies a 429 with RetryInfo as rate_limited with its delay', async () => {
    fake.setHandler((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          error: {
            code: 429,
            status: 'RESOURCE_EXHAUSTED',
            message: 'quota',
            details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '17s' }],
          },
        }),
      );
    });
    const res = await sendRequest(`${tg.url}/gemini/v1beta/models/gemini-2.5-pro:generateContent`, {
      headers: { 'x-goog-api-key': tg.key },
      body: { contents: [] },
    });
    expect(res.status).to.equal(429);
    const line = tg.logs.find((entry) => entry.kind === 'rate_limited');
    expect(line, 'the attempt is logged as rate_limited').not.to.equal(undefined);
    expect(Number(line!.cooldownMs)).to.be.at.least(17_000);
  });
});
