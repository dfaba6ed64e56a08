/**
 * The `ccr` account type in front of the REAL Claude Code Router
 * (`@musistudio/claude-code-router`, started by the test on a free 127.0.0.1 port with
 * its config in a temporary HOME), itself in front of a fake OpenAI-compatible provider.
 * The official `@anthropic-ai/sdk` is the client: Anthropic Messages in, the router turns
 * them into OpenAI chat completions and back. The `ccr,` prefix must be gone upstream, the
 * router must route `fakeoai,<model>` to the provider, and usage must be priced by the
 * routed model (or recorded unpriced when no table knows it).
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { createTestGateway, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { ccrPlugin } from '../src/index.js';
import { PROVIDER_PIECES, PROVIDER_USAGE, startFakeOpenAiProvider } from './fake-openai-provider.js';
import { startRealRouter, type RealRouter } from './real-router.js';

const ROUTER_KEY = 'ccr-router-key-8d2f41aa';
const PROVIDER_KEY = 'sk-fake-provider-2c9e10';
const PRICED = 'claude-sonnet-4-5';
const UNPRICED = 'vendor/unpriced-model-1';
const TEXT = PROVIDER_PIECES.join('');

describe('ccr in front of the real Claude Code Router', function () {
  this.timeout(30_000);
  let provider: FakeUpstream;
  let router: RealRouter;
  let tg: TestGateway;

  before(async function () {
    this.timeout(90_000);
    provider = await startFakeOpenAiProvider(PROVIDER_KEY);
    router = await startRealRouter({
      apiKey: ROUTER_KEY,
      provider: 'fakeoai',
      providerUrl: `${provider.url}/v1/chat/completions`,
      providerKey: PROVIDER_KEY,
      models: [PRICED, UNPRICED],
    });
  });
  after(async () => {
    await router?.stop();
    await provider?.close();
  });
  beforeEach(async () => {
    tg = await createTestGateway({
      plugins: [claudePlugin, ccrPlugin],
      accounts: [{ type: 'ccr', name: 'router', credentials: { apiKey: ROUTER_KEY, baseUrl: router.url } }],
    });
  });
  afterEach(() => tg.close());

  const client = () => new Anthropic({ apiKey: tg.key, baseURL: `${tg.url}/api`, maxRetries: 0 });
  const lastProviderBody = () => provider.requests.at(-1)!.json<{ model: string; messages: unknown[] }>();

  it('answers messages.create: the router gets the model without ccr, and routes it to the provider', async () => {
    const message = await client().messages.create({
      model: `ccr,fakeoai,${PRICED}`,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'say hello' }],
    });
    expect(message.content[0], router.output()).to.deep.include({ type: 'text', text: TEXT });
    expect(message.usage).to.include({
      input_tokens: PROVIDER_USAGE.prompt_tokens,
      output_tokens: PROVIDER_USAGE.completion_tokens,
    });
    const upstream = lastProviderBody();
    expect(upstream.model).to.equal(PRICED);
    expect(JSON.stringify(upstream.messages)).to.include('say hello');
    expect(provider.requests.at(-1)!.headers.authorization).to.equal(`Bearer ${PROVIDER_KEY}`);

    const [record] = await tg.usageRecords();
    expect(record!.model).to.equal(`ccr,fakeoai,${PRICED}`);
    expect(record!.upstreamModel).to.equal(PRICED);
    expect(record!.usage).to.include({ inputTokens: 120, outputTokens: 9 });
    // claude-sonnet-4-5 at $3 / $15 per million: 120 x 3 + 9 x 15 = 360 + 135.
    expect(record).to.include({ priced: true, costMicros: 495, accountType: 'ccr' });
  });

  it('streams messages.stream through the router, text and usage complete', async () => {
    const stream = client().messages.stream({
      model: `ccr,fakeoai,${PRICED}`,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'say hello' }],
    });
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas.join('')).to.equal(TEXT);
    expect(deltas.length, 'the text arrives in pieces').to.be.greaterThan(1);
    expect(message.usage.output_tokens).to.equal(PROVIDER_USAGE.completion_tokens);
    expect(lastProviderBody().model).to.equal(PRICED);
    const [record] = await tg.usageRecords();
    expect(record!.usage).to.include({ inputTokens: 120, outputTokens: 9 });
    expect(record).to.include({ priced: true, costMicros: 495, stream: true });
  });

  it('records a model no price table knows as unpriced, and tells the operator once', async () => {
    for (let i = 0; i < 2; i++) {
      const message = await client().messages.create({
        model: `ccr,fakeoai,${UNPRICED}`,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'hi' }],
      });
      expect(message.content[0]).to.deep.include({ text: TEXT });
    }
    expect(lastProviderBody().model).to.equal(UNPRICED);
    const records = await tg.usageRecords({ count: 2 });
    for (const record of records) {
      expect(record).to.include({ priced: false, costMicros: 0, upstreamModel: UNPRICED });
      expect(record.usage).to.include({ inputTokens: 120, outputTokens: 9 });
    }
    const warnings = tg.logs.filter((line) => String(line.msg ?? line.message).startsWith('CCR model without a price'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include({ model: UNPRICED });
  });

  it('probes the router with its key (ok), and reports a wrong key as refused', async () => {
    expect(await tg.gateway.probeAccount(tg.accountIds[0]!)).to.include({ ok: true });
    const wrong = await createTestGateway({
      plugins: [claudePlugin, ccrPlugin],
      accounts: [{ type: 'ccr', name: 'wrong', credentials: { apiKey: 'not-the-router-key', baseUrl: router.url } }],
    });
    try {
      const result = await wrong.gateway.probeAccount(wrong.accountIds[0]!);
      expect(result).to.include({ ok: false });
      expect(JSON.stringify(result)).to.match(/refused the key \(401\)/);
    } finally {
      await wrong.close();
    }
  });
});
