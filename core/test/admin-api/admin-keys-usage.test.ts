import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

interface Key {
  id: string;
  name: string;
  hint: string;
  enabled: boolean;
  limits: Record<string, unknown>;
}

describe('admin API: keys, usage and the request log', () => {
  let h: AdminHarness;
  let token: string;
  beforeEach(async () => {
    h = await startAdminHarness();
    token = await h.login();
    await h.call('POST', 'api/accounts', {
      token,
      body: { type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
    });
  });
  afterEach(async () => h.close());

  const echo = (key: string, input = 'one two three') =>
    sendRequest(`${h.tg.url}/echo/v1/echo`, { headers: { authorization: `Bearer ${key}` }, body: { model: 'echo-1', input } });

  it('creates a key with limits and shows it once; lists never show keys or hashes', async () => {
    const bad = await h.call('POST', 'api/keys', {
      token,
      body: { name: '', limits: { concurrency: -1, windows: [{ period: 'soon' }] } },
    });
    expect(bad.status).to.equal(400);
    const problems = bad.json<{ error: { problems: string[] } }>().error.problems;
    expect(problems.some((p) => p.startsWith('name:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('limits.concurrency:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('limits.windows.0.period:'))).to.equal(true);
    const created = await h.call('POST', 'api/keys', {
      token,
      body: {
        name: 'alice',
        tags: ['team'],
        limits: { concurrency: 2, costUsd: { daily: 5 }, windows: [{ period: '5h', requests: 100 }] },
      },
    });
    expect(created.status).to.equal(201);
    const { key, plaintext } = created.json<{ key: Key; plaintext: string }>();
    expect(plaintext).to.match(/^sy_/);
    expect(key.limits).to.deep.include({ concurrency: 2 });
    expect((await echo(plaintext)).status).to.equal(200);
    const audit = h.tg.logs.find((line) => line['message'] === 'key created' || line['msg'] === 'key created');
    expect(audit).to.deep.include({ admin: 'root', route: 'createKey', keyId: key.id });
    expect(JSON.stringify(h.tg.logs)).to.not.contain(plaintext);
    const record = await h.tg.gateway.store.keys.get(key.id);
    for (const text of [
      (await h.call('GET', 'api/keys', { token })).text(),
      (await h.call('GET', `api/keys/${key.id}`, { token })).text(),
    ]) {
      expect(text).to.not.contain(plaintext);
      expect(text).to.not.contain(record!.hash);
      expect(text).to.contain(key.hint);
    }
  });

  it('batch-creates, regenerates, disables, enables, changes and deletes keys', async () => {
    const batch = await h.call('POST', 'api/keys/batch', {
      token,
      body: { namePrefix: 'team', count: 3, limits: { concurrency: 1 } },
    });
    expect(batch.status).to.equal(201);
    const made = batch.json<{ key: Key; plaintext: string }[]>();
    expect(made.map((entry) => entry.key.name)).to.deep.equal(['team-1', 'team-2', 'team-3']);
    expect(new Set(made.map((entry) => entry.plaintext)).size).to.equal(3);
    expect((await h.call('POST', 'api/keys/batch', { token, body: { namePrefix: 'x', count: 1000 } })).status).to.equal(400);
    const first = made[0]!;
    const regenerated = (await h.call('POST', `api/keys/${first.key.id}/regenerate`, { token })).json<{
      key: Key;
      plaintext: string;
    }>();
    expect(regenerated.plaintext).to.not.equal(first.plaintext);
    expect((await echo(first.plaintext)).status).to.equal(401);
    expect((await echo(regenerated.plaintext)).status).to.equal(200);
    expect((await h.call('POST', `api/keys/${first.key.id}/disable`, { token })).json<Key>().enabled).to.equal(false);
    expect((await echo(regenerated.plaintext)).status).to.be.oneOf([401, 403]);
    expect((await h.call('POST', `api/keys/${first.key.id}/enable`, { token })).json<Key>().enabled).to.equal(true);
    const patched = await h.call('PATCH', `api/keys/${first.key.id}`, {
      token,
      body: { name: 'renamed', expiresAt: 'tomorrow' },
    });
    expect(patched.status).to.equal(400);
    const renamed = await h.call('PATCH', `api/keys/${first.key.id}`, { token, body: { name: 'renamed', tags: ['x'] } });
    expect(renamed.json<Key>().name).to.equal('renamed');
    expect((await h.call('DELETE', `api/keys/${first.key.id}`, { token })).status).to.equal(200);
    expect((await h.call('GET', `api/keys/${first.key.id}`, { token })).status).to.equal(404);
    expect((await h.call('POST', `api/keys/${first.key.id}/regenerate`, { token })).status).to.equal(404);
  });

  it('shows requests in the log, the usage summary, the dashboard and the key holder page', async () => {
    const { key, plaintext } = (
      await h.call('POST', 'api/keys', { token, body: { name: 'bob', limits: { windows: [{ period: '1h', requests: 10 }] } } })
    ).json<{
      key: Key;
      plaintext: string;
    }>();
    expect((await echo(plaintext, 'a b c d')).status).to.equal(200);
    const second = await echo(plaintext, 'e f');
    expect(second.status, second.text()).to.equal(200);
    await waitFor(async () => (await h.call('GET', 'api/requests', { token })).json<{ total: number }>().total === 2, {
      timeoutMs: 5000,
    });
    const log = (await h.call('GET', 'api/requests?limit=1', { token })).json<{
      items: { keyName: string; accountName: string; usage: { inputTokens: number } }[];
      total: number;
    }>();
    expect(log.total).to.equal(2);
    expect(log.items).to.have.length(1);
    expect(log.items[0]).to.deep.include({ keyName: 'bob', accountName: 'Echo' });
    expect((await h.call('GET', 'api/requests?limit=0', { token })).status).to.equal(400);
    const summary = (await h.call('GET', 'api/usage/summary', { token })).json<{
      totals: { requests: number; inputTokens: number };
      byKey: { name: string }[];
      series: unknown[];
      bucket: string;
    }>();
    expect(summary.totals).to.deep.include({ requests: 2, inputTokens: 6 });
    expect(summary.byKey.map((group) => group.name)).to.deep.equal(['bob']);
    expect(summary.bucket).to.equal('hour');
    const badRange = await h.call(
      'GET',
      `api/usage/summary?since=${encodeURIComponent(new Date().toISOString())}&until=2020-01-01T00:00:00Z`,
      { token },
    );
    expect(badRange.status).to.equal(400);
    const keyUsage = (await h.call('GET', `api/keys/${key.id}/usage?bucket=minute`, { token })).json<{
      totals: { requests: number };
    }>();
    expect(keyUsage.totals.requests).to.equal(2);
    // Today's totals come from the usage aggregates, written about a second after the records.
    await waitFor(
      async () => (await h.call('GET', 'api/dashboard', { token })).json<{ today: { requests: number } }>().today.requests === 2,
      { timeoutMs: 5000 },
    );
    const dashboard = (await h.call('GET', 'api/dashboard', { token })).json<{
      today: { requests: number };
      lastMinute: { requests: number };
      accountHealth: { status: string }[];
      keys: { total: number };
    }>();
    expect(dashboard.today.requests).to.equal(2);
    expect(dashboard.lastMinute.requests).to.equal(2);
    expect(dashboard.accountHealth.map((account) => account.status)).to.deep.equal(['ok']);
    // The public key-usage page reads the key holder's own endpoints (the admin has none of its own).
    const asHolder = { headers: { authorization: `Bearer ${plaintext}` } };
    const info = await sendRequest(`${h.tg.url}/self-service/v1/key-info`, asHolder);
    expect(info.status).to.equal(200);
    const mine = info.json<{ key: { name: string; status: string }; budgets: { label: string; remaining: number }[] }>();
    expect(mine.key).to.deep.include({ name: 'bob', status: 'active' });
    expect(mine.budgets.find((entry) => entry.label === '10 requests per 1h')?.remaining).to.equal(8);
    const used = (await sendRequest(`${h.tg.url}/self-service/v1/usage`, asHolder)).json<{ today: { requests: number } }>();
    expect(used.today.requests).to.equal(2);
    expect(info.text() + JSON.stringify(used)).to.not.contain(plaintext);
    expect(
      (await sendRequest(`${h.tg.url}/self-service/v1/key-info`, { headers: { authorization: 'Bearer sy_nope-nope-nope-nope' } }))
        .status,
    ).to.equal(401);
    expect((await h.call('POST', 'public-api/key-usage', { body: { key: plaintext } })).status).to.not.equal(200);
  });
});
