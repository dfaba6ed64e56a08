/**
 * The official `@anthropic-ai/sdk` through the gateway to fake Anthropic upstreams:
 * `messages.create` and `messages.stream(...).finalMessage()` with the base URL on
 * `/api` and on the bare root, every event arriving in order and as it is produced,
 * sticky sessions across two accounts, failover on a 529, and `role:"system"` plus
 * unknown fields reaching upstream byte for byte.
 */
import { performance } from 'node:perf_hooks';
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { createTestGateway, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import { anthropicFrames, startFakeAnthropic, writeAnthropicError } from './fake-anthropic-upstream.js';

const KEY_A = 'sk-ant-api03-sdk-account-a-4e1b';
const KEY_B = 'sk-ant-api03-sdk-account-b-9f2c';
const INTERVAL_MS = 30;

describe('@anthropic-ai/sdk through the gateway', function () {
  this.timeout(20_000);
  let first: FakeUpstream;
  let second: FakeUpstream;
  let tg: TestGateway;

  beforeEach(async () => {
    first = await startFakeAnthropic({ credential: KEY_A, intervalMs: INTERVAL_MS });
    second = await startFakeAnthropic({ credential: KEY_B, intervalMs: INTERVAL_MS });
    tg = await createTestGateway({
      plugins: [claudePlugin],
      accounts: [
        { type: 'claude-console', name: 'a', priority: 10, credentials: { apiKey: KEY_A, baseUrl: first.url } },
        { type: 'claude-console', name: 'b', priority: 10, credentials: { apiKey: KEY_B, baseUrl: second.url } },
      ],
    });
  });
  afterEach(async () => {
    await tg.close();
    await first.close();
    await second.close();
  });

  const client = (prefix: string) => new Anthropic({ apiKey: tg.key, baseURL: `${tg.url}${prefix}`, maxRetries: 0 });
  const upstreamCalls = () => first.requests.length + second.requests.length;

  for (const prefix of ['/api', '']) {
    it(`messages.create answers through ${prefix || 'the bare root'}`, async () => {
      const message = await client(prefix).messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Anthropic upstream.' });
      expect(message.usage).to.include({ input_tokens: 25, output_tokens: 14 });
      expect(upstreamCalls()).to.equal(1);
    });

    it(`messages.stream delivers every event in order and as produced through ${prefix || 'the bare root'}`, async () => {
      const arrivals: Array<{ type: string; at: number }> = [];
      const stream = client(prefix).messages.stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      stream.on('streamEvent', (event) => arrivals.push({ type: event.type, at: performance.now() }));
      const message = await stream.finalMessage();
      expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Anthropic upstream.' });
      expect(message.usage.output_tokens).to.equal(14);
      // The SDK drops ping; everything else arrives in upstream's order.
      const expected = anthropicFrames()
        .map((frame) => frame.event)
        .filter((type) => type !== 'ping');
      expect(arrivals.map((event) => event.type)).to.deep.equal(expected);
      const spread = arrivals.at(-1)!.at - arrivals[0]!.at;
      const produced = (anthropicFrames().length - 1) * INTERVAL_MS;
      expect(spread, `events spread over ${spread.toFixed(0)} ms, upstream over about ${produced} ms`).to.be.greaterThan(
        produced * 0.6,
      );
    });
  }

  it('keeps a session on one account and spreads different sessions', async () => {
    const sdk = client('/api');
    const ask = (session: string) =>
      sdk.messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 8,
        messages: [{ role: 'user', content: 'hi' }],
        metadata: { user_id: JSON.stringify({ device_id: 'd'.repeat(64), account_uuid: '', session_id: session }) },
      });
    await ask('session-one');
    await ask('session-two');
    for (let round = 0; round < 3; round += 1) {
      await ask('session-one');
      await ask('session-two');
    }
    const sessionsAt = (fake: FakeUpstream) =>
      new Set(
        fake.requests.map(
          (req) => JSON.parse(req.json<{ metadata: { user_id: string } }>().metadata.user_id).session_id as string,
        ),
      );
    expect(first.requests).to.have.length(4);
    expect(second.requests).to.have.length(4);
    expect(sessionsAt(first).size, 'one session per account').to.equal(1);
    expect(sessionsAt(second).size).to.equal(1);
    expect([...sessionsAt(first), ...sessionsAt(second)].sort()).to.deep.equal(['session-one', 'session-two']);
  });

  it('fails over when the first account answers 529 before any byte, and cools it down as overloaded', async () => {
    await tg.close();
    tg = await createTestGateway({
      plugins: [claudePlugin],
      accounts: [
        { type: 'claude-console', name: 'a', priority: 10, credentials: { apiKey: KEY_A, baseUrl: first.url } },
        { type: 'claude-console', name: 'b', priority: 20, credentials: { apiKey: KEY_B, baseUrl: second.url } },
      ],
    });
    first.setHandler((_req, res) => {
      res.setHeader('x-should-retry', 'true');
      writeAnthropicError(res, 529, 'Overloaded');
    });
    const stream = client('/api').messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]).to.deep.include({ type: 'text' });
    expect(first.requests).to.have.length(1);
    expect(second.requests).to.have.length(1);
    const state = await waitFor(async () =>
      (await tg.gateway.store.accountState.getMany([tg.accountIds[0]!])).get(tg.accountIds[0]!),
    );
    expect(state.cooldownKind).to.equal('overloaded');
    expect(state.coolingDownUntil).to.be.greaterThan(Date.now());
  });

  it('forwards role:"system" in messages and unknown fields byte for byte', async () => {
    const params = {
      model: 'claude-opus-4-8',
      max_tokens: 64,
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
      context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'say hi', cache_control: { type: 'ephemeral' } }] },
        { role: 'system', content: 'Available agent types…' },
      ],
    };
    const message = await client('/api').messages.create(params as unknown as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.type).to.equal('message');
    const seen = [...first.requests, ...second.requests][0]!;
    expect(seen.text()).to.equal(JSON.stringify(params));
    expect(seen.headers['anthropic-version']).to.be.a('string');
    expect(seen.headers['user-agent']).to.match(/^Anthropic\/JS/);
  });
});
