/**
 * The cross-check of Bedrock's invocation metrics against the usage it reported: the
 * comparison itself, the stream's message_stop event as the decoder hands it over, and a
 * unary answer through a gateway whose `x-amzn-bedrock-*-token-count` headers disagree
 * with its body (the record is flagged, a secret-free warning is logged, the usage stays).
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { emptyUsage, type Logger, type Usage } from '@switchyard/plugin-api';
import { claudePlugin } from '@switchyard/plugin-claude';
import {
  InvocationMetricsCheck,
  USAGE_MISMATCH_FLAG,
  bedrockPlugin,
  compareInvocationMetrics,
  invocationMetricsFromHeaders,
  invocationMetricsOf,
} from '../src/index.js';
import { FAKE_API_KEY, anthropicEvents, startFakeBedrock, writeBedrockStream, writeBedrockUnary } from './fake-bedrock.js';

function usage(counts: Partial<Usage>): Usage {
  return { ...emptyUsage(), ...counts };
}

/** A logger keeping its warnings. */
function recordingLogger(): Logger & { warnings: { message: string; fields: unknown }[] } {
  const warnings: { message: string; fields: unknown }[] = [];
  const logger = {
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (message: string, fields?: unknown) => void warnings.push({ message, fields }),
    error: () => undefined,
    child: () => logger,
  };
  return logger as unknown as Logger & { warnings: typeof warnings };
}

describe('bedrock invocation metrics cross-check', () => {
  it('compares only the counts Bedrock reported, cache writes as 5m + 1h', () => {
    const counted = usage({
      inputTokens: 10,
      outputTokens: 20,
      cacheReadTokens: 30,
      cacheWrite5mTokens: 4,
      cacheWrite1hTokens: 6,
    });
    expect(compareInvocationMetrics({ inputTokenCount: 10, outputTokenCount: 20 }, counted)).to.deep.equal([]);
    expect(
      compareInvocationMetrics(
        { inputTokenCount: 10, outputTokenCount: 21, cacheReadInputTokenCount: 30, cacheWriteInputTokenCount: 11 },
        counted,
      ),
    ).to.deep.equal([
      { field: 'outputTokens', metric: 21, usage: 20 },
      { field: 'cacheWriteTokens', metric: 11, usage: 10 },
    ]);
  });

  it('reads the metrics object and the unary headers, ignoring what is not a count', () => {
    expect(invocationMetricsOf({ inputTokenCount: 7, outputTokenCount: 126, invocationLatency: 4069 })).to.deep.equal({
      inputTokenCount: 7,
      outputTokenCount: 126,
    });
    expect(invocationMetricsOf({ inputTokenCount: -1, outputTokenCount: 'x' })).to.equal(undefined);
    expect(invocationMetricsOf('nope')).to.equal(undefined);
    expect(
      invocationMetricsFromHeaders({ 'x-amzn-bedrock-input-token-count': '12', 'x-amzn-bedrock-output-token-count': ['3'] }),
    ).to.deep.equal({ inputTokenCount: 12, outputTokenCount: 3 });
    expect(invocationMetricsFromHeaders({ 'x-amzn-bedrock-input-token-count': '' })).to.equal(undefined);
  });

  it("flags a stream whose message_stop metrics disagree with the usage, from the event's JSON as the decoder sees it", () => {
    const events = anthropicEvents({
      usage: { input_tokens: 25, output_tokens: 14, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      metrics: { outputTokenCount: 15 },
    });
    const stop = JSON.stringify(events.at(-1));
    const log = recordingLogger();
    const check = new InvocationMetricsCheck(log, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    check.observeMessageStop('{not json');
    check.observeMessageStop(JSON.stringify(events[0]));
    expect(check.usageFlags(usage({ inputTokens: 25, outputTokens: 14 }))).to.deep.equal([]);
    check.observeMessageStop(stop);
    expect(check.usageFlags(usage({ inputTokens: 25, outputTokens: 14 }))).to.deep.equal([USAGE_MISMATCH_FLAG]);
    expect(log.warnings).to.have.length(1);
    expect(log.warnings[0]!.fields).to.deep.equal({
      modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      disagreements: [{ field: 'outputTokens', metric: 15, usage: 14 }],
    });
    expect(check.usageFlags(null)).to.deep.equal([]);
  });

  describe('a unary answer through a gateway', function () {
    this.timeout(20_000);
    let fake: FakeUpstream;
    let tg: TestGateway;
    beforeEach(async () => {
      fake = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
      tg = await createTestGateway({
        plugins: [claudePlugin, bedrockPlugin],
        accounts: [
          {
            type: 'bedrock',
            name: 'b',
            settings: { inferenceProfile: 'us' },
            credentials: { region: 'us-east-1', apiKey: FAKE_API_KEY, baseUrl: fake.url },
          },
        ],
      });
    });
    afterEach(async () => {
      await tg.close();
      await fake.close();
    });

    const ask = () =>
      sendRequest(`${tg.url}/v1/messages`, {
        headers: { authorization: `Bearer ${tg.key}`, 'anthropic-version': '2023-06-01' },
        body: { model: 'claude-haiku-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
      });

    it('leaves the record unflagged when the headers agree with the body', async () => {
      const res = await ask();
      expect(res.status, res.text()).to.equal(200);
      const [record] = await tg.usageRecords();
      expect(record!.flags).to.equal(undefined);
      expect(tg.logs.filter((line) => JSON.stringify(line).includes('invocation metrics'))).to.deep.equal([]);
    });

    it('flags the record usage_mismatch and warns (counts and model id only) when they disagree', async () => {
      fake.setHandler((_req, res) => writeBedrockUnary(res, { metrics: { inputTokenCount: 99 } }));
      const res = await ask();
      expect(res.status, res.text()).to.equal(200);
      const [record] = await tg.usageRecords();
      expect(record!.flags).to.deep.equal([USAGE_MISMATCH_FLAG]);
      // The record keeps the usage the answer reported (what is billed).
      expect(record!.usage).to.include({ inputTokens: 25, outputTokens: 14 });
      const warning = tg.logs.find((line) => JSON.stringify(line).includes('invocation metrics disagree'));
      expect(warning, JSON.stringify(tg.logs.slice(-5))).to.not.equal(undefined);
      expect(JSON.stringify(warning)).to.include('"metric":99').and.include('us.anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(JSON.stringify(tg.logs)).to.not.include(FAKE_API_KEY);
    });

    const askStreamed = () =>
      sendRequest(`${tg.url}/v1/messages`, {
        headers: { authorization: `Bearer ${tg.key}`, 'anthropic-version': '2023-06-01' },
        body: { model: 'claude-haiku-4-5', max_tokens: 16, stream: true, messages: [{ role: 'user', content: 'hi' }] },
      });

    it("checks a stream's counts from its message_stop event: unflagged when they agree", async () => {
      fake.setHandler((_req, res) => writeBedrockStream(res));
      const res = await askStreamed();
      expect(res.status, res.text()).to.equal(200);
      expect(res.text()).to.include('event: message_stop');
      const [record] = await tg.usageRecords();
      expect(record!.flags).to.equal(undefined);
    });

    it('flags a stream whose message_stop counts disagree with its usage events', async () => {
      fake.setHandler((_req, res) => writeBedrockStream(res, { metrics: { outputTokenCount: 3 } }));
      const res = await askStreamed();
      expect(res.status, res.text()).to.equal(200);
      const [record] = await tg.usageRecords();
      expect(record!.flags).to.deep.equal([USAGE_MISMATCH_FLAG]);
      const warning = tg.logs.find((line) => JSON.stringify(line).includes('invocation metrics disagree'));
      expect(warning, JSON.stringify(tg.logs.slice(-5))).to.not.equal(undefined);
    });
  });
});
