/**
 * OpenAI chat clients served by a Gemini API account through the translator, via the
 * official openai SDK: a streamed tool call, a unary answer, the forced-target route, and
 * usage recorded on the Gemini account in Gemini's token counts and prices.
 */
import { expect } from 'chai';
import type http from 'node:http';
import OpenAI from 'openai';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  writeSse,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import geminiPlugin from '@switchyard/plugin-gemini';
import openaiPlugin from '../../src/index.js';
import { startFakeOpenAi } from '../fake-openai-upstream.js';

const GEMINI_KEY = 'AIza-translator-0123456789';
const USAGE = {
  promptTokenCount: 40,
  cachedContentTokenCount: 0,
  candidatesTokenCount: 10,
  thoughtsTokenCount: 0,
  totalTokenCount: 50,
};

async function geminiAnswer(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
  if (req.headers['x-goog-api-key'] !== GEMINI_KEY) {
    res
      .writeHead(403, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: { code: 403, message: 'bad key', status: 'PERMISSION_DENIED' } }));
    return;
  }
  const call = { functionCall: { name: 'get_weather', args: { city: 'Paris' } } };
  if (req.path.endsWith(':streamGenerateContent')) {
    await writeSse(
      res,
      [
        {
          data: {
            candidates: [{ content: { role: 'model', parts: [{ text: 'Checking ' }] } }],
            modelVersion: 'gemini-2.5-flash',
          },
        },
        {
          data: {
            candidates: [{ content: { role: 'model', parts: [{ text: 'the weather.' }] } }],
            modelVersion: 'gemini-2.5-flash',
          },
        },
        {
          data: {
            candidates: [{ content: { role: 'model', parts: [call] }, finishReason: 'STOP' }],
            usageMetadata: USAGE,
            modelVersion: 'gemini-2.5-flash',
          },
        },
      ],
      { intervalMs: 10 },
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      candidates: [{ content: { role: 'model', parts: [{ text: 'Bonjour.' }] }, finishReason: 'STOP' }],
      usageMetadata: USAGE,
      modelVersion: 'gemini-2.5-flash',
    }),
  );
}

describe('openai chat served by a Gemini account (translator)', () => {
  let gemini: FakeUpstream;
  let openai: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    gemini = await startFakeUpstream(geminiAnswer);
    openai = await startFakeOpenAi();
    tg = await createTestGateway({
      plugins: [openaiPlugin, geminiPlugin],
      accounts: [
        { type: 'gemini-api', name: 'g', credentials: { apiKey: GEMINI_KEY, baseUrl: gemini.url } },
        { type: 'openai-api', name: 'o', credentials: { apiKey: 'sk-openai-0123456789', baseUrl: `${openai.url}/v1` } },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await gemini.close();
    await openai.close();
  });

  const tools = [
    {
      type: 'function' as const,
      function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    },
  ];

  it('streams a tool call to the openai SDK and records Gemini usage on the Gemini account', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    const args: string[] = [];
    let name: string | undefined;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      text += choice?.delta.content ?? '';
      for (const call of choice?.delta.tool_calls ?? []) {
        name ??= call.function?.name;
        args.push(call.function?.arguments ?? '');
      }
      finish = choice?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).to.equal('Checking the weather.');
    expect(name).to.equal('get_weather');
    expect(JSON.parse(args.join(''))).to.deep.equal({ city: 'Paris' });
    expect(finish).to.equal('tool_calls');
    expect(usage).to.deep.include({ prompt_tokens: 40, completion_tokens: 10 });

    expect(openai.requests, 'the OpenAI account does not serve gemini models').to.have.length(0);
    const sent = gemini.requests[0]!;
    expect(sent.url).to.equal('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(sent.json()).to.deep.include({ systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    const [record] = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length >= 1 ? list : undefined;
    });
    expect(record!.accountId).to.equal(tg.accountIds[0]);
    expect(record!.accountType).to.equal('gemini-api');
    expect(record!.protocol).to.equal('openai-chat');
    expect(record!.usage).to.include({ inputTokens: 40, outputTokens: 10 });
    // gemini-2.5-flash: 40 × 0.3 + 10 × 2.5 = 37 micro-dollars
    expect(record!.costMicros).to.equal(37);
  });

  it('answers a unary chat completion from Gemini', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/api/v1`, maxRetries: 0 });
    const answer = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(answer.choices[0]!.message.content).to.equal('Bonjour.');
    expect(answer.usage).to.deep.include({ prompt_tokens: 40, completion_tokens: 10 });
    expect(gemini.requests[0]!.url).to.equal('/v1beta/models/gemini-2.5-flash:generateContent');
  });

  it('forces the Gemini target on /openai/gemini and leaves gpt models to OpenAI elsewhere', async () => {
    const forced = await sendRequest(`${tg.url}/openai/gemini/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(forced.status, 'no Gemini account serves gpt-5').to.be.within(400, 599);
    expect(forced.json<{ error: { message: string } }>().error.message).to.be.a('string');
    expect(openai.requests).to.have.length(0);

    const viaGemini = await sendRequest(`${tg.url}/openai/gemini/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(viaGemini.status, viaGemini.text()).to.equal(200);
    const plain = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gpt-5', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(plain.status, plain.text()).to.equal(200);
    expect(openai.requests).to.have.length(1);

    const models = await sendRequest(`${tg.url}/openai/gemini/v1/models`, { headers: { authorization: `Bearer ${tg.key}` } });
    expect(models.json<{ data: { id: string }[] }>().data.map((model) => model.id)).to.include('gemini-2.5-flash');
  });

  it('translates a Gemini error into OpenAI error JSON', async () => {
    gemini.setHandler((_req, res) => {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { code: 400, message: 'bad schema', status: 'INVALID_ARGUMENT' } }));
    });
    const res = await sendRequest(`${tg.url}/openai/v1/chat/completions`, {
      headers: { authorization: `Bearer ${tg.key}` },
      body: { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(res.status).to.equal(400);
    expect(res.json()).to.deep.equal({
      error: { message: 'bad schema', type: 'invalid_argument', param: null, code: 'INVALID_ARGUMENT' },
    });
  });
});
