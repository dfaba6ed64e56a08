/**
 * The Claude plugin inside a real gateway with claude-console accounts: the routes and
 * mounts, faithful forwarding (headers, query, bytes), the credential slot, model
 * allow-lists and mappings, errors in Anthropic's shape, the daily quota, and the cost
 * of a request with 5-minute and 1-hour cache writes and cache reads.
 */
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor, writeSse, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { claudePlugin } from '../src/index.js';
import { anthropicFrames, anthropicHandler, startFakeAnthropic, writeAnthropicError } from './fake-anthropic-upstream.js';

const API_KEY = 'sk-ant-api03-gateway-test-key-0c4f';

interface AnthropicError {
  type: string;
  error: { type: string; message: string };
}

describe('claude plugin in a gateway', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  let tg: TestGateway | undefined;

  async function start(
    accounts: Array<{ settings?: Record<string, unknown>; apiKey?: string }> = [{}],
    config = {},
  ): Promise<TestGateway> {
    tg = await createTestGateway({
      plugins: [claudePlugin],
      config,
      accounts: accounts.map((account, index) => ({
        type: 'claude-console',
        name: `console-${index + 1}`,
        credentials: { apiKey: account.apiKey ?? API_KEY, baseUrl: fake.url },
        settings: account.settings ?? {},
      })),
    });
    return tg;
  }

  beforeEach(async () => {
    fake = await startFakeAnthropic({ credential: API_KEY, intervalMs: 5 });
  });
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
    await fake.close();
  });

  it('pauses an account whose organization is disabled until an admin resumes it, and fails over', async () => {
    const DISABLED_KEY = 'sk-ant-api03-disabled-org-key-77aa';
    const serve = anthropicHandler({ credential: API_KEY });
    fake.setHandler((req, res) =>
      req.headers['x-api-key'] === DISABLED_KEY
        ? writeAnthropicError(res, 403, 'This organization has been disabled.', 'permission_error')
        : serve(req, res),
    );
    const gw = await start([{ apiKey: DISABLED_KEY }, {}]);
    const send = () =>
      sendRequest(`${gw.url}/api/v1/messages`, {
        headers: { 'x-api-key': gw.key },
        body: { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [] },
      });
    // Least recently used first: within three requests both accounts have been tried.
    for (let i = 0; i < 3; i++) expect((await send()).status, 'always served, by the healthy account').to.equal(200);
    const disabledCalls = () => fake.requests.filter((request) => request.headers['x-api-key'] === DISABLED_KEY).length;
    expect(disabledCalls()).to.equal(1);
    for (let i = 0; i < 4; i++) expect((await send()).status).to.equal(200);
    expect(disabledCalls(), 'never tried again while paused').to.equal(1);
    const controls =
      await gw.gateway.store.settings.get<Record<string, { paused?: { reason?: string } }>>('scheduling.accountControl');
    const paused = Object.values(controls ?? {}).filter((entry) => entry.paused);
    expect(paused).to.have.length(1);
    expect(paused[0]!.paused!.reason).to.match(/organization is disabled/);
    const state = await gw.gateway.store.accountState.getMany(gw.accountIds);
    expect(
      [...state.values()].some((entry) => entry.coolingDownUntil),
      'paused, not cooling down',
    ).to.equal(false);
  });

  it('forwards headers, ?beta=true and the exact bytes, with the key in x-api-key', async () => {
    const gw = await start();
    const raw =
      '{"model":"claude-opus-4-8",  "max_tokens":64000,"thinking":{"type":"adaptive"},"output_config":{"effort":"high"},' +
      '"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"future_field":[1,{"x":null}],' +
      '"messages":[{"role":"user","content":[{"type":"text","text":"say hi","cache_control":{"type":"ephemeral"}}]},{"role":"system","content":"Available agent types"}]}';
    const clientHeaders = {
      'x-api-key': gw.key,
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,context-1m-2025-08-07,some-future-beta-2027-01-01',
      'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
      'x-app': 'cli',
      'x-claude-code-session-id': 'f3b6c1d2-0000-4000-8000-000000000001',
      'anthropic-dangerous-direct-browser-access': 'true',
      'x-stainless-lang': 'js',
      'x-stainless-retry-count': '0',
      'accept-encoding': 'gzip, deflate, br, zstd',
    };
    const res = await sendRequest(`${gw.url}/api/v1/messages?beta=true`, { headers: clientHeaders, body: raw });
    expect(res.status, res.text()).to.equal(200);
    const seen = fake.requests[0]!;
    expect(seen.url).to.equal('/v1/messages?beta=true');
    expect(seen.text(), 'unknown fields and role:"system" reach upstream byte for byte').to.equal(raw);
    for (const name of [
      'anthropic-version',
      'anthropic-beta',
      'user-agent',
      'x-app',
      'x-claude-code-session-id',
      'anthropic-dangerous-direct-browser-access',
      'x-stainless-lang',
      'x-stainless-retry-count',
    ] as const) {
      expect(seen.headers[name], name).to.equal(clientHeaders[name]);
    }
    expect(seen.headers['x-api-key']).to.equal(API_KEY);
    expect(seen.headers.authorization).to.equal(undefined);
    expect(seen.headers['accept-encoding'], 'never zstd').not.to.include('zstd');
  });

  it('sends a non-Anthropic key as Bearer to a compatible endpoint', async () => {
    await fake.close();
    fake = await startFakeAnthropic({ credential: 'compatible-key-123456' });
    // A compatible endpoint serving another vendor's models says so: its models widen the claude-* default.
    const gw = await start([{ apiKey: 'compatible-key-123456', settings: { models: ['glm-*'] } }]);
    const res = await sendRequest(`${gw.url}/claude/v1/messages`, {
      headers: { authorization: `Bearer ${gw.key}` },
      body: { model: 'glm-4.6', max_tokens: 5, messages: [] },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(fake.requests[0]!.headers.authorization).to.equal('Bearer compatible-key-123456');
    expect(fake.requests[0]!.headers['x-api-key']).to.equal(undefined);
  });

  it('answers HEAD on every mount at once, without a key and without upstream', async () => {
    const gw = await start();
    for (const path of ['/api', '/api/', '/claude', '/claude/', '/']) {
      const res = await sendRequest(`${gw.url}${path}`, { method: 'HEAD' });
      expect(res.status, `HEAD ${path}`).to.equal(200);
    }
    expect(fake.requests).to.have.length(0);
  });

  it("lists the accounts' models in Anthropic's shape, on every mount", async () => {
    // Exact ids and mapped names, unioned over the accounts (an account with a mapping but
    // no `models` would serve, and list, every known claude-* id).
    const gw = await start([
      { settings: { models: ['claude-sonnet-4-5', 'claude-opus-4-5'] } },
      { settings: { models: ['claude-haiku-4-5-20251001'], modelMapping: { 'claude-haiku-4-5': 'vendor/haiku' } } },
    ]);
    for (const mount of ['/api', '/claude', '']) {
      const res = await sendRequest(`${gw.url}${mount}/v1/models`, { headers: { 'x-api-key': gw.key } });
      expect(res.status, res.text()).to.equal(200);
      const body = res.json<{ data: Array<{ id: string; type: string }>; has_more: boolean }>();
      expect(body.data.map((model) => model.id)).to.deep.equal([
        'claude-haiku-4-5',
        'claude-haiku-4-5-20251001',
        'claude-opus-4-5',
        'claude-sonnet-4-5',
      ]);
      expect(body.data[0]!.type).to.equal('model');
      expect(body.has_more).to.equal(false);
    }
    expect(fake.requests).to.have.length(0);
  });

  it('relays count_tokens and records no token usage for it', async () => {
    const gw = await start();
    const res = await sendRequest(`${gw.url}/api/v1/messages/count_tokens?beta=true`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.equal({ input_tokens: 42 });
    expect(fake.requests[0]!.url).to.equal('/v1/messages/count_tokens?beta=true');
    const [record] = await waitFor(async () => {
      const list = await gw.gateway.store.usage.list();
      return list.length ? list : undefined;
    });
    expect(record!.usage).to.include({ inputTokens: 0, outputTokens: 0 });
  });

  it('serves only allowed models and sends mapped ones under their upstream id', async () => {
    const gw = await start([
      { settings: { models: ['claude-sonnet-4-5'], modelMapping: { 'claude-opus-4-8': 'claude-opus-4-5-20251101' } } },
    ]);
    const headers = { 'x-api-key': gw.key };
    const mapped = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers,
      body: { model: 'claude-opus-4-8', max_tokens: 5, extra: { kept: true }, messages: [] },
    });
    expect(mapped.status, mapped.text()).to.equal(200);
    expect(fake.requests[0]!.json()).to.deep.equal({
      model: 'claude-opus-4-5-20251101',
      max_tokens: 5,
      extra: { kept: true },
      messages: [],
    });
    const refused = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers,
      body: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [] },
    });
    expect(refused.status).to.be.within(400, 599);
    expect(refused.json<AnthropicError>()).to.have.nested.property('error.type').that.is.a('string');
    expect(fake.requests).to.have.length(1);
  });

  it('keeps a top-level __proto__ key as an own key when it maps the model, and pollutes nothing', async () => {
    const gw = await start([{ settings: { modelMapping: { 'claude-opus-4-8': 'claude-opus-4-5-20251101' } } }]);
    const raw = '{"model":"claude-opus-4-8","max_tokens":5,"__proto__":{"polluted":true},"messages":[]}';
    const res = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key, 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status, res.text()).to.equal(200);
    const sent = fake.requests[0]!.text();
    expect(sent).to.include('"__proto__":{"polluted":true}');
    expect((JSON.parse(sent) as { model: string }).model).to.equal('claude-opus-4-5-20251101');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('ends a stream that upstream cut with an Anthropic event: error frame', async () => {
    const gw = await start();
    fake.setHandler(async (_req, res) => {
      await writeSse(res, anthropicFrames().slice(0, 4), { intervalMs: 5, end: false });
      res.destroy();
    });
    const res = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-sonnet-4-6', max_tokens: 5, stream: true, messages: [] },
    });
    expect(res.status).to.equal(200);
    expect(res.text()).to.match(/^event: message_start\n/);
    expect(res.text()).to.match(/event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"[^"]+"\}\}\n\n$/);
  });

  it('reads a gzip-compressed answer for usage and hands the client plain JSON', async () => {
    const gw = await start();
    const answer = {
      type: 'message',
      model: 'claude-haiku-4-5',
      content: [{ type: 'text', text: 'zipped' }],
      usage: { input_tokens: 9, output_tokens: 4 },
    };
    fake.setHandler((_req, res) => {
      res
        .writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
        .end(gzipSync(JSON.stringify(answer)));
    });
    const res = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-haiku-4-5', max_tokens: 5, messages: [] },
    });
    expect(res.status).to.equal(200);
    expect(res.json()).to.deep.equal(answer);
    const [record] = await waitFor(async () => {
      const list = await gw.gateway.store.usage.list();
      return list.length ? list : undefined;
    });
    expect(record!.usage).to.include({ inputTokens: 9, outputTokens: 4 });
    // 9 x $1 + 4 x $5 per million tokens.
    expect(record!.costMicros).to.equal(29);
  });

  it("answers gateway errors in Anthropic's shape", async () => {
    const gw = await start();
    const body = { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] };
    const missing = await sendRequest(`${gw.url}/api/v1/messages`, { body });
    expect(missing.status).to.equal(401);
    expect(missing.json<AnthropicError>())
      .to.deep.include({ type: 'error' })
      .and.to.have.nested.property('error.type', 'authentication_error');
    const badJson = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key, 'content-type': 'application/json' },
      body: '{"model":',
    });
    expect(badJson.status).to.equal(400);
    expect(badJson.json<AnthropicError>().error.type).to.equal('invalid_request_error');
    const unknown = await sendRequest(`${gw.url}/api/v1/nope`, { headers: { 'x-api-key': gw.key }, body });
    expect(unknown.status).to.equal(404);
    expect(unknown.json<AnthropicError>().error.type).to.equal('not_found_error');
    expect(fake.requests).to.have.length(0);
  });

  it("refuses a body over Anthropic's documented 32 MB at once, as request_too_large, on messages and count_tokens", async () => {
    const gw = await start();
    for (const path of ['/api/v1/messages', '/v1/messages/count_tokens']) {
      // Only the headers are sent: the answer must not wait for 33 MB that never come.
      const res = await sendRequest(`${gw.url}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': gw.key, 'content-type': 'application/json', 'content-length': String(33 * 1024 * 1024) },
        timeoutMs: 3000,
      });
      expect(res.status, path).to.equal(413);
      expect(res.json<AnthropicError>().error.type).to.equal('request_too_large');
    }
    expect(fake.requests).to.have.length(0);
  });

  it('cools a 429 down until the unified reset, and a bare transient 429 only briefly', async () => {
    // The core caps cooldowns at scheduling.cooldownMaxMs (30 min by default); Claude's windows need more.
    const gw = await start([{}, {}], { scheduling: { cooldownMaxMs: 5 * 3_600_000 } });
    const reset = Math.floor(Date.now() / 1000) + 3600;
    let calls = 0;
    fake.setHandler((_req, res) => {
      calls += 1;
      if (calls === 1) {
        res.setHeader('anthropic-ratelimit-unified-reset', String(reset));
        res.setHeader('anthropic-ratelimit-unified-representative-claim', 'five_hour');
      }
      writeAnthropicError(res, 429, 'Number of request tokens has exceeded your rate limit');
    });
    const res = await sendRequest(`${gw.url}/api/v1/messages`, {
      headers: { 'x-api-key': gw.key },
      body: { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [] },
    });
    expect(res.status).to.equal(429);
    expect(res.json<AnthropicError>().error.type, "upstream's answer reaches the client").to.equal('rate_limit_error');
    const states = await gw.gateway.store.accountState.getMany(gw.accountIds);
    const waits = gw.accountIds.map((id) => (states.get(id)?.coolingDownUntil ?? 0) - Date.now()).sort((a, b) => a - b);
    expect(waits[0], 'bare 429: the short configured cooldown').to.be.within(1, 61_000);
    expect(waits[1], 'until the unified reset').to.be.within(3_590_000, 3_600_000);
  });

  it('costs 5m and 1h cache writes and cache reads to the micro-dollar', async () => {
    await fake.close();
    const usage = {
      input_tokens: 100,
      output_tokens: 200,
      cache_creation_input_tokens: 3000,
      cache_read_input_tokens: 10_000,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 2000 },
    };
    fake = await startFakeAnthropic({ credential: API_KEY, usage, intervalMs: 5 });
    const gw = await start();
    const body = { model: 'claude-sonnet-4-5-20250929', max_tokens: 5, messages: [] };
    for (const stream of [false, true]) {
      const res = await sendRequest(`${gw.url}/api/v1/messages`, { headers: { 'x-api-key': gw.key }, body: { ...body, stream } });
      expect(res.status, res.text()).to.equal(200);
    }
    const records = await waitFor(async () => {
      const list = await gw.gateway.store.usage.list();
      return list.length >= 2 ? list : undefined;
    });
    for (const record of records) {
      expect(record.usage).to.include({
        inputTokens: 100,
        outputTokens: 200,
        cacheWrite5mTokens: 1000,
        cacheWrite1hTokens: 2000,
        cacheReadTokens: 10_000,
      });
      // 100 x $3 + 200 x $15 + 1000 x $3.75 + 2000 x $6 + 10000 x $0.30 per million tokens
      // = 300 + 3000 + 3750 + 12000 + 3000 micro-dollars.
      expect(record.costMicros, `stream: ${record.stream}`).to.equal(22_050);
    }
  });

  it("prices a model newer than the table by its family's assumed price and flags the record", async () => {
    const gw = await start();
    for (const model of ['claude-opus-5-5', 'claude-opus-4-5-20251101']) {
      const res = await sendRequest(`${gw.url}/api/v1/messages`, {
        headers: { 'x-api-key': gw.key },
        body: { model, max_tokens: 5, messages: [] },
      });
      expect(res.status, res.text()).to.equal(200);
    }
    const records = await waitFor(async () => {
      const list = await gw.gateway.store.usage.list();
      return list.length >= 2 ? list : undefined;
    });
    const byModel = new Map(records.map((record) => [record.model, record]));
    // 25 input x $5 + 14 output x $25 per million tokens = 125 + 350 micro-dollars.
    expect(byModel.get('claude-opus-5-5')).to.deep.include({ costMicros: 475, priced: false, pricedAs: 'claude-opus-*' });
    expect(byModel.get('claude-opus-4-5-20251101')).to.deep.include({
      costMicros: 475,
      priced: true,
      pricedAs: 'claude-opus-4-5*',
    });
    expect(
      gw.logs.some(
        (line) => String(line.msg ?? line.message).includes('priced by assumption') && line.model === 'claude-opus-5-5',
      ),
    ).to.equal(true);
  });

  it('recognises Claude Code for keys restricted to it', async () => {
    tg = await createTestGateway({
      plugins: [claudePlugin],
      keys: [{ name: 'cli-only', limits: { clients: ['claude-code'] } }],
      accounts: [{ type: 'claude-console', name: 'console', credentials: { apiKey: API_KEY, baseUrl: fake.url } }],
    });
    const body = { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [] };
    const cli = await sendRequest(`${tg.url}/api/v1/messages`, {
      headers: { 'x-api-key': tg.key, 'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)' },
      body,
    });
    expect(cli.status, cli.text()).to.equal(200);
    const sdk = await sendRequest(`${tg.url}/api/v1/messages`, {
      headers: { 'x-api-key': tg.key, 'user-agent': 'Anthropic/JS 1.14.0' },
      body,
    });
    expect(sdk.status).to.equal(403);
    expect(sdk.json<AnthropicError>().error.type).to.equal('permission_error');
  });

  it('stops using an account once its daily quota is spent', async () => {
    await fake.close();
    fake = await startFakeAnthropic({ credential: API_KEY, usage: { input_tokens: 1000, output_tokens: 1000 } });
    // One request on claude-sonnet-4-5 costs 1000 x $3 + 1000 x $15 = 18000 micro-dollars.
    const gw = await start([{ settings: { dailyQuotaUsd: 0.02 } }]);
    const send = () =>
      sendRequest(`${gw.url}/api/v1/messages`, {
        headers: { 'x-api-key': gw.key },
        body: { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [] },
      });
    expect((await send()).status).to.equal(200);
    await waitFor(async () => ((await gw.gateway.store.usage.list()).length >= 1 ? true : undefined));
    expect((await send()).status, 'still under 0.02 USD').to.equal(200);
    await waitFor(async () => ((await gw.gateway.store.usage.list()).length >= 2 ? true : undefined));
    const over = await waitFor(async () => {
      const res = await send();
      return res.status >= 400 ? res : undefined;
    });
    // A 503 with Retry-After, but not overloaded_error: that is Anthropic's own overload, which Claude Code retries forever.
    expect(over.status).to.equal(503);
    expect(over.json<AnthropicError>().error.type).to.equal('api_error');
    expect(Number(over.headers['retry-after'])).to.be.greaterThan(0);
    expect(over.text()).to.match(/No account/i);
    expect(fake.requests.length, 'no third call upstream').to.equal(2);
  });
});
