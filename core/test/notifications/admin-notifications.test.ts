/**
 * The notification routes of the admin API: targets from the config file (read-only)
 * and from the admin, secrets never returned and stored encrypted, validation, "send
 * test" to a receiver on 127.0.0.1, and the stored targets used by the gateway's events.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { sendRequest, startFakeUpstream, waitFor, type FakeUpstream } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from '../admin-api/admin-harness.js';
import { NOTIFICATION_TARGETS_SETTING } from '../../src/notifications/stored-targets.js';

const ADMIN_SECRET = 'admin-added-hook-secret';

describe('notifications: admin API', function () {
  this.timeout(20_000);
  let receiver: FakeUpstream;
  let harness: AdminHarness;
  let token: string;

  before(async () => {
    receiver = await startFakeUpstream((req, res) => {
      res.writeHead(req.path === '/down' ? 503 : 200).end();
    });
    harness = await startAdminHarness({
      notifications: {
        targets: [{ id: 'from-config', type: 'slack', url: `${receiver.url}/services/CONFIG-TOKEN`, events: ['account.*'] }],
      },
    });
    token = await harness.login();
  });
  after(async () => {
    await harness?.close();
    await receiver?.close();
  });
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  const api = (method: string, path: string, body?: unknown) =>
    harness.call(method, `api/${path}`, { token, ...(body !== undefined ? { body } : {}), headers: { 'x-requested-with': 't' } });

  it('lists the config target without its secret URL, with the events and the fields of each kind', async () => {
    const res = await api('GET', 'notifications');
    expect(res.status).to.equal(200);
    const body = res.json<{ targets: Record<string, unknown>[]; events: string[]; fields: Record<string, unknown[]> }>();
    expect(body.targets).to.deep.equal([
      {
        id: 'from-config',
        type: 'slack',
        enabled: true,
        events: ['account.*'],
        source: 'config',
        settings: {},
        secretsSet: ['url'],
      },
    ]);
    expect(body.events).to.include('account.rate_limited').and.not.include('test');
    expect(Object.keys(body.fields)).to.have.members([
      'webhook',
      'slack',
      'discord',
      'telegram',
      'feishu',
      'dingtalk',
      'wecom',
      'bark',
      'email',
    ]);
    expect(res.text()).to.not.include('CONFIG-TOKEN');
  });

  it('adds a webhook target, never returns its secret, stores it encrypted, and keeps it when changed without it', async () => {
    const created = await api('PUT', 'notifications/targets/ops', {
      type: 'webhook',
      name: 'Ops',
      url: `${receiver.url}/hook`,
      secret: ADMIN_SECRET,
      events: ['account.*', 'key.quota_exceeded'],
    });
    expect(created.status, created.text()).to.equal(200);
    expect(created.json()).to.deep.equal({
      id: 'ops',
      type: 'webhook',
      name: 'Ops',
      enabled: true,
      events: ['account.*', 'key.quota_exceeded'],
      source: 'admin',
      settings: { url: `${receiver.url}/hook` },
      secretsSet: ['secret'],
    });
    const stored = JSON.stringify(await harness.tg.gateway.store.settings.get(NOTIFICATION_TARGETS_SETTING));
    expect(stored).to.include('"id":"ops"').and.not.include(ADMIN_SECRET);
    // Changed without the secret: it is kept.
    const changed = await api('PUT', 'notifications/targets/ops', {
      type: 'webhook',
      url: `${receiver.url}/hook2`,
      events: ['*'],
    });
    expect(changed.json<{ secretsSet: string[] }>().secretsSet).to.deep.equal(['secret']);
    const listed = await api('GET', 'notifications');
    expect(listed.text()).to.not.include(ADMIN_SECRET);
    expect(listed.json<{ targets: { id: string }[] }>().targets.map((target) => target.id)).to.deep.equal(['from-config', 'ops']);
  });

  it('sends a signed test event with the stored secret', async () => {
    const res = await api('POST', 'notifications/targets/ops/test');
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.equal({ ok: true });
    expect(receiver.requests).to.have.length(1);
    const request = receiver.requests[0]!;
    expect(request.path).to.equal('/hook2');
    expect(request.json<{ event: string; data: Record<string, unknown> }>()).to.deep.include({ event: 'test' });
    expect(request.json<{ data: Record<string, unknown> }>().data).to.include({ target: 'ops', by: 'root' });
    expect(request.headers['x-switchyard-signature']).to.equal(
      `sha256=${createHmac('sha256', ADMIN_SECRET).update(request.body).digest('hex')}`,
    );
  });

  it('tells when the test failed, without the URL', async () => {
    await api('PUT', 'notifications/targets/broken', { type: 'discord', url: `${receiver.url}/down` });
    const res = await api('POST', 'notifications/targets/broken/test');
    expect(res.status).to.equal(200);
    const outcome = res.json<{ ok: boolean; error: string }>();
    expect(outcome.ok).to.equal(false);
    expect(outcome.error).to.include('discord target broken').and.include('503').and.not.include('/down');
    expect((await api('DELETE', 'notifications/targets/broken')).status).to.equal(200);
  });

  it('refuses an invalid target with every problem, a config target, and unknown ids', async () => {
    const invalid = await api('PUT', 'notifications/targets/bad', { type: 'email', host: 'smtp.test', to: [], events: ['nope'] });
    expect(invalid.status).to.equal(400);
    const problems = invalid.json<{ error: { problems: string[] } }>().error.problems.join('\n');
    expect(problems).to.include('from').and.include('to').and.include('events');
    expect((await api('PUT', 'notifications/targets/from-config', { type: 'slack', url: 'https://x.test/y' })).status).to.equal(
      409,
    );
    expect((await api('DELETE', 'notifications/targets/from-config')).status).to.equal(409);
    expect((await api('DELETE', 'notifications/targets/none')).status).to.equal(404);
    expect((await api('POST', 'notifications/targets/none/test')).status).to.equal(404);
  });

  it('needs a session', async () => {
    const res = await harness.call('GET', 'api/notifications');
    expect(res.status).to.equal(401);
  });

  it('a target added in the admin receives the gateway events it selected', async () => {
    const account = await api('POST', 'accounts', {
      type: 'echo-key',
      name: 'Echo',
      credentials: { apiKey: UPSTREAM_KEY, baseUrl: harness.upstream.url },
    });
    expect(account.status, account.text()).to.equal(201);
    const keyRes = await api('POST', 'keys', { name: 'capped', limits: { costUsd: { total: 0.000001 } } });
    expect(keyRes.status, keyRes.text()).to.equal(201);
    const key = keyRes.json<{ plaintext: string }>().plaintext;
    const answer = await sendRequest(`${harness.tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${key}` },
      body: { model: 'echo-1', input: 'hello there' },
    });
    expect(answer.status, answer.text()).to.equal(200);
    await harness.tg.gateway.settled();
    await waitFor(() => receiver.requests.some((request) => request.text().includes('key.quota_exceeded')), {
      what: 'the quota event at the admin-added target',
    });
  });
});
