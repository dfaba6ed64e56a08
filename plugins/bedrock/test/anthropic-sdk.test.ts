/**
 * The official `@anthropic-ai/sdk` through the gateway to fake Bedrock runtimes that
 * verify SigV4 signatures (recomputed with the known secret) or the Bedrock API key and
 * answer real event-stream frames: `messages.create`, `messages.stream`, every event in
 * order and as produced, the Bedrock model id and body on the wire, a mid-stream
 * exception frame, and a stream throttled before its first event failing over.
 */
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { bedrockPlugin } from '../src/index.js';
import {
  FAKE_API_KEY,
  FAKE_IAM,
  FAKE_REGION,
  anthropicEvents,
  chunkFrame,
  exceptionFrame,
  startFakeBedrock,
  writeEventStream,
} from './fake-bedrock.js';

const INTERVAL_MS = 30;
const SESSION_TOKEN = 'fake-session-token-for-temporary-credentials-77';

describe('@anthropic-ai/sdk through the gateway to Bedrock', function () {
  this.timeout(20_000);
  let iam: FakeUpstream;
  let bearer: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    iam = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, sessionToken: SESSION_TOKEN, region: FAKE_REGION });
    bearer = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
  });
  afterEach(async () => {
    await tg?.close();
    await iam.close();
    await bearer.close();
  });

  async function gateway(which: 'iam' | 'bearer' | 'both', settings: Record<string, unknown> = { inferenceProfile: 'us' }) {
    const accounts = [];
    if (which !== 'bearer')
      accounts.push({
        type: 'bedrock',
        name: 'iam',
        priority: 5,
        settings,
        credentials: { region: FAKE_REGION, ...FAKE_IAM, sessionToken: SESSION_TOKEN, baseUrl: iam.url },
      });
    if (which !== 'iam')
      accounts.push({
        type: 'bedrock',
        name: 'bearer',
        priority: 10,
        settings,
        credentials: { region: FAKE_REGION, apiKey: FAKE_API_KEY, baseUrl: bearer.url },
      });
    tg = await createTestGateway({ plugins: [claudePlugin, bedrockPlugin], accounts });
    return new Anthropic({ apiKey: tg.key, baseURL: `${tg.url}/api`, maxRetries: 0 });
  }

  for (const which of ['iam', 'bearer'] as const) {
    it(`messages.create answers through a ${which} account, with Bedrock's path and body`, async () => {
      const client = await gateway(which);
      const message = await client.messages.create(
        {
          model: 'claude-sonnet-4-5-20250929',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'hi' }],
          metadata: { user_id: 'u-1' },
        },
        { headers: { 'anthropic-beta': 'context-1m-2025-08-07, interleaved-thinking-2025-05-14' } },
      );
      expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Bedrock runtime.' });
      expect(message.usage).to.include({ input_tokens: 25, output_tokens: 14 });
      const fake = which === 'iam' ? iam : bearer;
      expect(fake.requests).to.have.length(1);
      const sent = fake.requests[0]!;
      expect(sent.response.status).to.equal(200);
      expect(sent.path).to.equal('/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke');
      expect(sent.json()).to.deep.equal({
        anthropic_version: 'bedrock-2023-05-31',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
        metadata: { user_id: 'u-1' },
        anthropic_beta: ['context-1m-2025-08-07', 'interleaved-thinking-2025-05-14'],
      });
      expect(JSON.stringify(sent.headers)).not.to.include(tg.key);
      const [record] = await tg.usageRecords();
      expect(record?.usage).to.include({ inputTokens: 25, outputTokens: 14 });
    });

    it(`messages.stream delivers every event in order and as produced through a ${which} account`, async () => {
      const client = await gateway(which);
      const arrivals: Array<{ type: string; at: number }> = [];
      const stream = client.messages.stream({
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      stream.on('streamEvent', (event) => arrivals.push({ type: event.type, at: performance.now() }));
      const message = await stream.finalMessage();
      expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Bedrock runtime.' });
      expect(message.usage.output_tokens).to.equal(14);
      expect(arrivals.map((event) => event.type)).to.deep.equal(anthropicEvents().map((event) => event.type));
      const spread = arrivals.at(-1)!.at - arrivals[0]!.at;
      const produced = (anthropicEvents().length - 1) * INTERVAL_MS;
      expect(spread, `events spread over ${spread.toFixed(0)} ms, upstream over ${produced} ms`).to.be.greaterThan(
        produced * 0.6,
      );
      const fake = which === 'iam' ? iam : bearer;
      expect(fake.requests[0]!.path).to.equal('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke-with-response-stream');
      const [record] = await tg.usageRecords();
      expect(record?.usage).to.include({ inputTokens: 25, outputTokens: 14 });
      expect(record?.stream).to.equal(true);
    });
  }

  it('turns an exception frame mid-stream into an Anthropic error event', async () => {
    const client = await gateway('iam');
    const events = anthropicEvents();
    iam.setHandler((_req, res) =>
      writeEventStream(res, [
        ...events.slice(0, 3).map(chunkFrame),
        exceptionFrame('modelStreamErrorException', 'The model stream failed.'),
        ...events.slice(3).map(chunkFrame),
      ]),
    );
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const seen: string[] = [];
    stream.on('streamEvent', (event) => seen.push(event.type));
    let failure: unknown;
    try {
      await stream.finalMessage();
    } catch (error) {
      failure = error;
    }
    expect(seen).to.deep.equal(['message_start', 'content_block_start', 'content_block_delta']);
    expect(String(failure)).to.include('modelStreamErrorException').and.include('The model stream failed.');
  });

  it('fails a stream throttled before its first event over to the second account', async () => {
    const client = await gateway('both');
    iam.setHandler((_req, res) =>
      writeEventStream(res, [exceptionFrame('throttlingException', 'Too many requests, please wait.')]),
    );
    const message = await client.messages
      .stream({ model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Bedrock runtime.' });
    expect(iam.requests).to.have.length(1);
    expect(bearer.requests).to.have.length(1);
    const [record] = await tg.usageRecords();
    expect(record?.accountId).to.equal(tg.accountIds[1]);
    const throttled = tg.logs.find((line) => JSON.stringify(line).includes('rate_limited'));
    expect(throttled, 'the throttled account is logged as rate limited').not.to.equal(undefined);
  });
});
