/**
 * The account types' adapters and probe called directly (as the core calls them),
 * against the fake Anthropic API: a request translated from another protocol, a
 * network failure, and the console probe.
 */
import { expect } from 'chai';
import { isUpstreamError, type AccountContext, type RelayRequest } from '@switchyard/plugin-api';
import { createMemoryKv, createTestHttpClient, silentLogger, type FakeUpstream } from '@switchyard/core/testing';
import { claudeOptionsSchema, createClaudeConsoleAccountType, type ClaudeConsoleCredentials } from '../src/index.js';
import { startFakeAnthropic } from './fake-anthropic-upstream.js';

const KEY = 'sk-ant-api03-adapter-test-key-77aa';
const consoleType = createClaudeConsoleAccountType(claudeOptionsSchema.parse({}));
const http = createTestHttpClient();
after(() => http.close());

function context(baseUrl: string, apiKey = KEY): AccountContext<ClaudeConsoleCredentials> {
  return {
    account: { id: 'acc', type: 'claude-console', name: 'unit', priority: 50, groups: [], settings: {} },
    credentials: { apiKey, baseUrl },
    http,
    signal: AbortSignal.timeout(10_000),
    log: silentLogger,
    kv: createMemoryKv(),
  };
}

function translatedRequest(): RelayRequest {
  const body = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] };
  return {
    protocol: 'anthropic-messages',
    operation: 'messages',
    method: 'POST',
    path: '/openai/v1/chat/completions',
    params: {},
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', 'user-agent': 'OpenAI/JS 6.49.0' },
    body,
    rawBody: new TextEncoder().encode('{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"hi"}]}'),
    translated: true,
    model: 'claude-sonnet-4-6',
    stream: false,
  };
}

describe('claude adapters called directly', () => {
  let fake: FakeUpstream;
  beforeEach(async () => {
    fake = await startFakeAnthropic({ credential: KEY });
  });
  afterEach(() => fake.close());

  it('sends a translated request to /v1/messages with the translated body and an API version', async () => {
    const request = translatedRequest();
    const response = await consoleType.adapter.send({ ...context(`${fake.url}/`), request });
    expect(response.status).to.equal(200);
    const seen = fake.requests[0]!;
    expect(seen.path).to.equal('/v1/messages');
    expect(seen.json()).to.deep.equal(request.body);
    expect(seen.headers['anthropic-version']).to.equal('2023-06-01');
    expect(seen.headers['user-agent']).to.equal('OpenAI/JS 6.49.0');
  });

  it('keeps a base URL path prefix', async () => {
    const response = await consoleType.adapter.send({ ...context(`${fake.url}/prefix`), request: translatedRequest() });
    expect(response.status).to.equal(404);
    expect(fake.requests[0]!.path).to.equal('/prefix/v1/messages');
  });

  it('reports an unreachable upstream as network without the key in the message', async () => {
    const url = fake.url;
    await fake.close();
    const error = await consoleType.adapter
      .send({ ...context(url), request: translatedRequest() })
      .catch((failure: unknown) => failure);
    expect(isUpstreamError(error) && error.kind).to.equal('network');
    expect(String((error as Error).message)).not.to.include(KEY);
  });

  it('probes the key with GET /v1/models', async () => {
    expect(await consoleType.probe!(context(fake.url))).to.deep.include({ ok: true });
    expect(fake.requests.at(-1)!.headers['x-api-key']).to.equal(KEY);
    const refused = await consoleType.probe!(context(fake.url, 'sk-ant-api03-wrong-key-000000'));
    expect(refused.ok).to.equal(false);
    expect(refused.message).to.match(/401/);
  });
});
