/**
 * Claude Code on a Gemini account: the official `@anthropic-ai/sdk` talks Anthropic
 * Messages to the gateway with a key bound to a group holding only a `gemini-api`
 * account, which a fake Gemini API on 127.0.0.1 answers (`streamGenerateContent?alt=sse`
 * with CRLF frames, `generateContent`). Create, stream and a tool-use round trip go
 * through the anthropic-messages -> gemini translator; usage is recorded in Gemini's
 * counts on the Gemini account.
 */
import { expect } from 'chai';
import type http from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import {
  createTestGateway,
  startFakeUpstream,
  writeSse,
  type FakeUpstream,
  type RecordedRequest,
  type TestGateway,
} from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { geminiPlugin } from '../../src/index.js';

const GEMINI_KEY = 'AIza-claude-on-gemini-0123456789';
const USAGE = {
  promptTokenCount: 500,
  cachedContentTokenCount: 400,
  candidatesTokenCount: 10,
  thoughtsTokenCount: 5,
  totalTokenCount: 515,
};

interface GeminiBody {
  contents: { role: string; parts: Record<string, unknown>[] }[];
  tools?: unknown[];
  systemInstruction?: unknown;
}

async function geminiAnswer(req: RecordedRequest, res: http.ServerResponse): Promise<void> {
  if (req.headers['x-goog-api-key'] !== GEMINI_KEY) {
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' } }));
    return;
  }
  if (req.path.endsWith(':countTokens')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify({ totalTokens: 42 }));
    return;
  }
  const body = req.json<GeminiBody>();
  const last = body.contents.at(-1)!;
  const wantsTool = body.tools !== undefined && !last.parts.some((part) => part.functionResponse !== undefined);
  const chunk = (parts: unknown[], final = false) => ({
    candidates: [{ content: { role: 'model', parts }, index: 0, ...(final ? { finishReason: 'STOP' } : {}) }],
    ...(final ? { usageMetadata: USAGE } : {}),
    modelVersion: 'gemini-2.5-pro',
  });
  if (req.path.endsWith(':generateContent')) {
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
    res.end(JSON.stringify(chunk([{ text: 'Hello from Gemini.' }], true)));
    return;
  }
  const frames = wantsTool
    ? [chunk([{ text: 'Let me look.' }]), chunk([{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }], true)]
    : [chunk([{ text: 'It is ' }]), chunk([{ text: 'sunny ' }]), chunk([{ text: 'in Paris.' }], true)];
  await writeSse(
    res,
    frames.map((data) => ({ data })),
    { intervalMs: 5, lineEnding: '\r\n' },
  );
}

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('Claude clients served by a gemini-api account (anthropic-messages -> gemini)', () => {
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let client: Anthropic;

  beforeEach(async () => {
    upstream = await startFakeUpstream(geminiAnswer);
    tg = await createTestGateway({
      plugins: [claudePlugin, geminiPlugin],
      config: { groups: [{ id: 'google', name: 'Gemini' }] },
      accounts: [
        {
          type: 'gemini-api',
          name: 'gemini',
          groups: ['google'],
          credentials: { apiKey: GEMINI_KEY, baseUrl: upstream.url },
          settings: { models: ['claude-*'] },
        },
      ],
      keys: [{ name: 'team', limits: { binding: { group: 'google' } } }],
    });
    client = new Anthropic({ apiKey: tg.key, baseURL: `${tg.url}/claude`, maxRetries: 0 });
  });
  afterEach(async () => {
    await tg.close();
    await upstream.close();
  });

  it('answers messages.create from generateContent', async () => {
    const message = await client.messages.create({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(message.content).to.deep.equal([{ type: 'text', text: 'Hello from Gemini.' }]);
    expect(message.usage).to.deep.include({ input_tokens: 100, cache_read_input_tokens: 400, output_tokens: 15 });
    const sent = upstream.requests[0]!;
    expect(sent.url).to.equal('/v1beta/models/claude-opus-4-8:generateContent');
    expect(sent.json()).to.deep.include({ systemInstruction: { parts: [{ text: 'Be brief.' }] } });
    const [record] = await tg.usageRecords();
    expect(record!.accountType).to.equal('gemini-api');
    expect(record!.usage).to.include({ inputTokens: 100, cacheReadTokens: 400, outputTokens: 15 });
  });

  it('streams through the SDK and completes a tool-use round trip', async () => {
    const stream = client.messages.stream({
      model: 'claude-opus-4-8',
      max_tokens: 1024,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const first = await stream.finalMessage();
    expect(deltas).to.deep.equal(['Let me look.']);
    expect(first.stop_reason).to.equal('tool_use');
    const call = first.content.find((block) => block.type === 'tool_use')!;
    expect(call).to.deep.include({ name: 'get_weather', input: { city: 'Paris' } });
    expect(upstream.requests[0]!.url).to.equal('/v1beta/models/claude-opus-4-8:streamGenerateContent?alt=sse');

    const second = await client.messages
      .stream({
        model: 'claude-opus-4-8',
        max_tokens: 1024,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: first.content },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: call.type === 'tool_use' ? call.id : '', content: 'sunny' }],
          },
        ],
      })
      .finalMessage();
    expect(second.content).to.deep.equal([{ type: 'text', text: 'It is sunny in Paris.' }]);
    expect(second.stop_reason).to.equal('end_turn');
    expect(second.usage).to.deep.include({ input_tokens: 100, cache_read_input_tokens: 400, output_tokens: 15 });
    expect(upstream.requests[1]!.json<GeminiBody>().contents.slice(1)).to.deep.equal([
      {
        role: 'model',
        parts: [
          { text: 'Let me look.' },
          {
            functionCall: { name: 'get_weather', args: { city: 'Paris' } },
            thoughtSignature: 'skip_thought_signature_validator',
          },
        ],
      },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { result: 'sunny' } } }] },
    ]);
    const records = await tg.usageRecords({ count: 2 });
    expect(records.every((record) => record.protocol === 'anthropic-messages' && record.stream)).to.equal(true);
  });

  it('answers count_tokens from Gemini countTokens', async () => {
    const counted = await client.messages.countTokens({ model: 'claude-opus-4-8', messages: [{ role: 'user', content: 'Hi' }] });
    expect(counted.input_tokens).to.equal(42);
    expect(upstream.requests[0]!.url).to.equal('/v1beta/models/claude-opus-4-8:countTokens');
    expect(upstream.requests[0]!.json()).to.deep.equal({
      generateContentRequest: { model: 'models/claude-opus-4-8', contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] },
    });
  });

  it('turns a Gemini error into an Anthropic error the SDK raises with its status', async () => {
    upstream.setHandler((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } }));
    });
    const failure = await client.messages
      .create({ model: 'claude-opus-4-8', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).to.be.instanceOf(Anthropic.RateLimitError);
  });
});
