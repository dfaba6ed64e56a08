import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { tickGatewayForSuite } from '../fixtures/tick-gateway-for-suite.js';

describe('relay pipeline', () => {
  const suite = tickGatewayForSuite({ config: { server: { bodyLimitMb: 0.01 } } });

  const url = () => `${suite.tg.url}/tick/v1/ticks`;

  it('streams a request through to the account, frame by frame, and records its usage', async () => {
    const res = await sendRequest(url(), {
      headers: { 'x-api-key': suite.tg.key },
      body: { model: 'tick-1', stream: true, count: 6, input: 'abcd' },
    });
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/text\/event-stream/);
    expect(res.text()).to.contain('data: {"n":6}');
    expect(res.chunks.length).to.be.greaterThan(3);
    const [record] = await waitFor(async () => {
      const records = await suite.tg.gateway.store.usage.list({ keyId: suite.tg.keyId });
      return records.length ? records : undefined;
    });
    expect(record!.usage.inputTokens).to.equal(4);
    expect(record!.usage.outputTokens).to.equal(6);
    expect(record!.costMicros).to.equal(4 * 1 + 6 * 2);
    expect(record!.accountId).to.equal(suite.tg.accountIds[0]);
  });

  it('accepts the key from every header clients use and strips it before forwarding', async () => {
    const forms: Record<string, string>[] = [
      { 'x-api-key': suite.tg.key },
      { authorization: `Bearer ${suite.tg.key}` },
      { 'x-goog-api-key': suite.tg.key },
      { 'api-key': suite.tg.key },
    ];
    for (const headers of forms) {
      const res = await sendRequest(url(), { headers, body: { model: 'tick-1', count: 1 } });
      expect(res.status, JSON.stringify(Object.keys(headers))).to.equal(200);
      const seen = suite.upstream.requests.at(-1)!;
      expect(JSON.stringify(seen.headers)).not.to.contain(suite.tg.key);
      expect(seen.headers.authorization).to.equal('Bearer tick-secret-token');
    }
    const viaQuery = await sendRequest(`${url()}?key=${suite.tg.key}&keep=1`, { body: { model: 'tick-1', count: 1 } });
    expect(viaQuery.status).to.equal(200);
    expect(suite.upstream.requests.at(-1)!.url).to.equal('/v1/ticks?keep=1');
  });

  it('answers a missing or invalid key with 401 in the route protocol shape', async () => {
    const missing = await sendRequest(url(), { body: { model: 'tick-1' } });
    expect(missing.status).to.equal(401);
    expect(missing.json()).to.deep.equal({
      error: { code: 'missing_api_key', message: missing.json<{ error: { message: string } }>().error.message },
    });
    const invalid = await sendRequest(url(), { headers: { 'x-api-key': 'sy_not-a-real-key-000000' }, body: { model: 'tick-1' } });
    expect(invalid.status).to.equal(401);
    expect(invalid.json<{ error: { code: string } }>().error.code).to.equal('invalid_api_key');
  });

  it('answers malformed JSON with 400 and an oversized body with 413, then keeps serving', async () => {
    const malformed = await sendRequest(url(), {
      headers: { 'x-api-key': suite.tg.key, 'content-type': 'application/json' },
      body: '{"model": "tick-1",',
    });
    expect(malformed.status).to.equal(400);
    expect(malformed.json<{ error: { code: string } }>().error.code).to.equal('invalid_json');
    const big = await sendRequest(url(), {
      headers: { 'x-api-key': suite.tg.key },
      body: { model: 'tick-1', input: 'x'.repeat(20_000) },
    });
    expect(big.status).to.equal(413);
    expect(big.json<{ error: { code: string } }>().error.code).to.equal('payload_too_large');
    const ok = await sendRequest(url(), { headers: { 'x-api-key': suite.tg.key }, body: { model: 'tick-1', count: 1 } });
    expect(ok.status).to.equal(200);
  });

  it('answers unknown paths with 404: in the mount protocol under a mount, neutral elsewhere', async () => {
    const underMount = await sendRequest(`${suite.tg.url}/tick/v1/nothing`, { headers: { 'x-api-key': suite.tg.key } });
    expect(underMount.status).to.equal(404);
    expect(underMount.json<{ error: { code: string } }>().error.code).to.equal('not_found');
    const elsewhere = await sendRequest(`${suite.tg.url}/nowhere`);
    expect(elsewhere.status).to.equal(404);
    expect(elsewhere.json<{ error: { type: string } }>().error.type).to.equal('not_found');
  });

  it('answers HEAD on the mount point without a key and without reaching upstream', async () => {
    const before = suite.upstream.requests.length;
    const res = await sendRequest(`${suite.tg.url}/tick`, { method: 'HEAD' });
    expect(res.status).to.equal(200);
    expect(suite.upstream.requests.length).to.equal(before);
  });

  it('aborts the upstream request and frees the leases when the client leaves mid-stream', async () => {
    const res = await sendRequest(url(), {
      headers: { 'x-api-key': suite.tg.key },
      body: { model: 'tick-1', stream: true, count: 200 },
      abortAfterChunks: 2,
    });
    expect(res.aborted).to.equal(true);
    await suite.upstream.waitForAbort();
    await waitFor(async () => ((await suite.tg.gateway.store.leases.count(`key:${suite.tg.keyId}`)) === 0 ? true : undefined));
    expect(await suite.tg.gateway.store.leases.count(`account:${suite.tg.accountIds[0]}`)).to.equal(0);
    const record = await waitFor(async () =>
      (await suite.tg.gateway.store.usage.list({ keyId: suite.tg.keyId })).find((r) => r.status === 499),
    );
    expect(record.stream).to.equal(true);
  });

  it('reports health with store, plugins and accounts', async () => {
    const res = await sendRequest(`${suite.tg.url}/health`);
    expect(res.status).to.equal(200);
    const body = res.json<{
      status: string;
      store: { ok: boolean };
      plugins: { id: string }[];
      accounts: Record<string, number>;
    }>();
    expect(body.status).to.equal('ok');
    expect(body.store.ok).to.equal(true);
    expect(body.plugins.map((plugin) => plugin.id)).to.deep.equal(['tick']);
    expect(body.accounts['active']).to.equal(1);
  });
});

describe('relay pipeline without accounts', () => {
  // No account admits the model, so it is a 404 (issue 15), not a 503 a client would retry forever.
  it('serves /health and answers relay routes with 404 in the protocol shape, saying no account serves the protocol', async () => {
    const tg = await createTestGateway({ plugins: [tickPlugin] });
    try {
      expect((await sendRequest(`${tg.url}/health`)).status).to.equal(200);
      const res = await sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1' } });
      expect(res.status).to.equal(404);
      const error = res.json<{ error: { code: string; message: string } }>().error;
      expect(error.code).to.equal('model_not_found');
      expect(error.message).to.contain('tick-1').and.to.contain('No account this key can use serves protocol');
    } finally {
      await tg.close();
    }
  });
});
