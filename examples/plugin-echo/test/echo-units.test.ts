/**
 * The echo plugin's parts on their own: protocol, usage codec, adapter, classifier and
 * probe, with the testing kit's HttpClient and the fake echo server (no gateway).
 */
import { expect } from 'chai';
import {
  createInboundRequest,
  createRelayRequest,
  createTestHttpClient,
  formatSseFrame,
  silentLogger,
  type FakeUpstream,
} from '@switchyard/core/testing';
import { isSecretSchema, isUpstreamError, secretFields, type AccountContext, type AccountView } from '@switchyard/plugin-api';
import echoPlugin, { echoKeyAccountType, echoProtocol, type EchoCredentials } from '../src/index.js';
import { echoFrames, startFakeEchoUpstream } from './fake-echo-upstream.js';

const http = createTestHttpClient();
after(() => http.close());
const log = silentLogger;
const account: AccountView = { id: 'a1', type: 'echo-key', name: 'unit', priority: 50, groups: [], settings: {} };

function context(credentials: EchoCredentials, settings: Record<string, unknown> = {}): AccountContext<EchoCredentials> {
  return {
    account: { ...account, settings },
    credentials,
    http,
    signal: new AbortController().signal,
    log,
    kv: { get: async () => undefined, set: async () => {}, delete: async () => {} },
  };
}

/** A client request on the echo route, as the protocol gets it. */
const inbound = (body: unknown, headers: Record<string, string> = {}) =>
  createInboundRequest({ mount: '/echo', path: '/v1/echo', headers, body });

/** An echo request on its way upstream, as the adapter gets it. */
const relayRequest = (rawBody: string, headers: Record<string, string> = {}) =>
  createRelayRequest({ protocol: 'echo', operation: 'echo', path: '/v1/echo', headers, body: rawBody });

describe('echo plugin parts', () => {
  let fake: FakeUpstream;
  beforeEach(async () => {
    fake = await startFakeEchoUpstream({ apiKey: 'unit-key-123' });
  });
  afterEach(() => fake.close());

  it('declares one protocol, one account type and a secret apiKey', () => {
    expect(echoPlugin.id).to.equal('echo');
    expect(echoPlugin.accountTypes?.map((type) => type.id)).to.deep.equal(['echo-key']);
    expect(secretFields(echoKeyAccountType.credentials)).to.deep.equal(['apiKey']);
    expect(isSecretSchema(echoKeyAccountType.credentials.shape.apiKey as never)).to.equal(true);
    expect(echoKeyAccountType.credentials.safeParse({ apiKey: 'short' }).success).to.equal(false);
  });

  it('describes model, stream flag and session (body wins over header)', () => {
    expect(
      echoProtocol.describe(inbound({ model: 'echo-1', input: 'x', stream: true, session: 's1' }, { 'x-echo-session': 'h1' })),
    ).to.deep.equal({ model: 'echo-1', stream: true, sessionKey: 's1' });
    expect(echoProtocol.describe(inbound({ model: 'echo-1', input: 'x' }, { 'x-echo-session': 'h1' }))).to.deep.equal({
      model: 'echo-1',
      stream: false,
      sessionKey: 'h1',
    });
    expect(echoProtocol.describe(inbound('not an object'))).to.deep.equal({ stream: false });
  });

  it('renders errors in the echo shape, with retry-after in seconds', () => {
    const rendered = echoProtocol.renderError({ code: 'rate_limited', status: 429, message: 'slow down', retryAfterMs: 1500 });
    expect(rendered).to.deep.equal({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { error: { type: 'rate_limited', message: 'slow down' } },
    });
    expect(echoProtocol.renderStreamError?.({ code: 'upstream_error', status: 502, message: 'cut' })).to.equal(
      'event: error\ndata: {"error":{"type":"upstream_error","message":"cut"}}\n\n',
    );
  });

  it('reads usage from a unary body and from a stream split at odd places', () => {
    expect(echoProtocol.usage.fromJson({ model: 'echo-1', usage: { input_tokens: 3, output_tokens: 4 } })).to.include({
      inputTokens: 3,
      outputTokens: 4,
      model: 'echo-1',
    });
    expect(echoProtocol.usage.fromJson({ output: 'x' })).to.equal(null);
    const bytes = Buffer.from(
      echoFrames({ usage: { input_tokens: 5, output_tokens: 6 } })
        .map((frame) => formatSseFrame(frame, '\r\n'))
        .join(''),
    );
    const tap = echoProtocol.usage.createStreamTap();
    for (let offset = 0; offset < bytes.length; offset += 7) tap.push(bytes.subarray(offset, offset + 7));
    expect(tap.end()).to.include({ inputTokens: 5, outputTokens: 6, model: 'echo-1' });
    const broken = echoProtocol.usage.createStreamTap();
    broken.push(Buffer.from('event: done\ndata: {not json\n\n'));
    expect(broken.end()).to.equal(null);
  });

  it('declares the echo family as its model catalog and lists the allow-list', () => {
    const limited = { ...account, settings: { models: ['echo-1'] } };
    expect(echoKeyAccountType.models?.defaults).to.deep.equal(['echo-*']);
    expect(echoKeyAccountType.listModels?.(limited)).to.deep.equal(['echo-1']);
    expect(echoKeyAccountType.listModels?.(account)).to.deep.equal(['echo-1']);
  });

  it('sends the raw body with the client headers and its own bearer key', async () => {
    const raw = '{"model":"echo-1",  "input":"hi there"}';
    const response = await echoKeyAccountType.adapter.send({
      ...context({ apiKey: 'unit-key-123', baseUrl: `${fake.url}/` }),
      request: relayRequest(raw, { 'x-echo-trace': 't-1', 'content-type': 'application/json' }),
    });
    expect(response.status).to.equal(200);
    const seen = fake.requests[0]!;
    expect(seen.path).to.equal('/v1/echo');
    expect(seen.text()).to.equal(raw);
    expect(seen.headers.authorization).to.equal('Bearer unit-key-123');
    expect(seen.headers['x-echo-trace']).to.equal('t-1');
  });

  it('reports a missing baseUrl as bad_request and a closed port as network', async () => {
    const request = relayRequest('{"model":"echo-1","input":"x"}');
    const missing = await echoKeyAccountType.adapter
      .send({ ...context({ apiKey: 'unit-key-123' }), request })
      .catch((error: unknown) => error);
    expect(isUpstreamError(missing) && missing.kind).to.equal('bad_request');
    expect(String((missing as Error).message)).to.match(/baseUrl/);
    const url = fake.url;
    await fake.close();
    const down = await echoKeyAccountType.adapter
      .send({ ...context({ apiKey: 'unit-key-123', baseUrl: url }), request })
      .catch((error: unknown) => error);
    expect(isUpstreamError(down) && down.kind).to.equal('network');
    expect(String((down as Error).message)).not.to.include('unit-key-123');
  });

  it('classifies 529 as overloaded and leaves other statuses to the core', () => {
    const overloaded = echoKeyAccountType.classifyError?.({
      status: 529,
      headers: { 'retry-after': '3' },
      body: new Uint8Array(),
    });
    expect(overloaded?.kind).to.equal('overloaded');
    expect(overloaded?.retryAfterMs).to.equal(3000);
    expect(echoKeyAccountType.classifyError?.({ status: 429, headers: {}, body: new Uint8Array() })).to.equal(undefined);
  });

  it('probes /v1/health', async () => {
    expect(await echoKeyAccountType.probe?.(context({ apiKey: 'unit-key-123', baseUrl: fake.url }))).to.deep.include({
      ok: true,
    });
    expect(fake.requests.at(-1)?.path).to.equal('/v1/health');
    expect((await echoKeyAccountType.probe?.(context({ apiKey: 'wrong-key-123', baseUrl: fake.url })))?.ok).to.equal(false);
    expect((await echoKeyAccountType.probe?.(context({ apiKey: 'unit-key-123' })))?.message).to.match(/baseUrl/);
  });
});
