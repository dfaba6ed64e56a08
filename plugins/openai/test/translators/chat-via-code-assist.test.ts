/**
 * OpenAI chat clients served by a Google (Code Assist) account through the
 * openai-chat -> gemini-code-assist translator, on the forced `/openai/gemini` route:
 * streamed and unary, the account's project in the envelope, usage on that account.
 */
import { expect } from 'chai';
import OpenAI from 'openai';
import { createTestGateway, waitFor, type TestGateway } from '@switchyard/core/testing';
import { geminiPlugin } from '@switchyard/plugin-gemini';
import { openaiPlugin } from '../../src/index.js';
import { startFakeCodeAssist } from '../../../gemini/test/fake-code-assist.js';

describe('openai chat served by a Gemini Code Assist account (translator)', () => {
  let fake: Awaited<ReturnType<typeof startFakeCodeAssist>>;
  let tg: TestGateway;
  beforeEach(async () => {
    fake = await startFakeCodeAssist();
    tg = await createTestGateway({
      plugins: [openaiPlugin, geminiPlugin],
      accounts: [
        {
          type: 'gemini-oauth',
          name: 'google',
          credentials: {
            accessToken: 'ya29.initial-token',
            refreshToken: '1//refresh-token',
            expiresAt: Date.now() + 3_600_000,
            projectId: 'fake-project-123',
            baseUrl: fake.url,
          },
        },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  it('streams and answers unary through the envelope, recording usage on the Google account', async () => {
    const client = new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/gemini/v1`, maxRetries: 0 });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    const stream = await client.chat.completions.create({
      model: 'gemini-2.5-pro',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).to.equal('Hello there from the fake Gemini');
    expect(usage).to.deep.include({ prompt_tokens: 20, completion_tokens: 8 });
    const unary = await client.chat.completions.create({ model: 'gemini-2.5-pro', messages: [{ role: 'user', content: 'hi' }] });
    expect(unary.choices[0]!.message.content).to.equal('Hello from Gemini.');
    expect(fake.requests.map((request) => request.url)).to.deep.equal([
      '/v1internal:streamGenerateContent?alt=sse',
      '/v1internal:generateContent',
    ]);
    expect(fake.requests[0]!.json()).to.deep.equal({
      model: 'gemini-2.5-pro',
      project: 'fake-project-123',
      request: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    });
    const records = await waitFor(async () => {
      const list = await tg.gateway.store.usage.list();
      return list.length >= 2 ? list : undefined;
    });
    for (const record of records) {
      expect(record).to.deep.include({ accountType: 'gemini-oauth', protocol: 'openai-chat' });
      expect(record.usage).to.include({ inputTokens: 12, cacheReadTokens: 8, outputTokens: 8 });
    }
  });
});
