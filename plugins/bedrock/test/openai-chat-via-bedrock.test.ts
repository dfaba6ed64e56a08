/**
 * A client of another protocol reaches Bedrock through the OpenAI plugin's
 * openai-chat -> anthropic-messages translator: the official `openai` SDK's chat
 * completions (unary and streamed) served by a bedrock account, the translated body on
 * Bedrock's wire (no model or stream, anthropic_version) and the usage recorded.
 */
import OpenAI from 'openai';
import { expect } from 'chai';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { openaiPlugin } from '@switchyard/plugin-openai';
import { bedrockPlugin } from '../src/index.js';
import { FAKE_IAM, FAKE_REGION, startFakeBedrock } from './fake-bedrock.js';

describe('openai chat completions served by a bedrock account (translator)', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway;
  beforeEach(async () => {
    fake = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, region: FAKE_REGION });
    tg = await createTestGateway({
      plugins: [openaiPlugin, claudePlugin, bedrockPlugin],
      accounts: [{ type: 'bedrock', name: 'b', credentials: { region: FAKE_REGION, ...FAKE_IAM, baseUrl: fake.url } }],
    });
  });
  afterEach(async () => {
    await tg.close();
    await fake.close();
  });

  const client = () => new OpenAI({ apiKey: tg.key, baseURL: `${tg.url}/openai/v1`, maxRetries: 0 });

  it('answers a unary chat completion', async () => {
    const completion = await client().chat.completions.create({
      model: 'claude-haiku-4-5',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(completion.choices[0]?.message.content).to.equal('Hello from the fake Bedrock runtime.');
    expect(completion.usage).to.include({ prompt_tokens: 25, completion_tokens: 14 });
    const sent = fake.requests[0]!;
    expect(sent.path).to.equal('/model/anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke');
    const body = sent.json<Record<string, unknown>>();
    expect(body).to.include({ anthropic_version: 'bedrock-2023-05-31', system: 'Be brief.' });
    expect(body).not.to.have.any.keys('model', 'stream');
  });

  it('streams a chat completion with usage', async () => {
    const stream = await client().chat.completions.create({
      model: 'claude-sonnet-4-5-20250929',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).to.equal('Hello from the fake Bedrock runtime.');
    expect(usage).to.include({ prompt_tokens: 25, completion_tokens: 14 });
    expect(fake.requests[0]!.path).to.match(/\/invoke-with-response-stream$/);
    const [record] = await tg.usageRecords();
    expect(record?.usage).to.include({ inputTokens: 25, outputTokens: 14 });
  });
});
