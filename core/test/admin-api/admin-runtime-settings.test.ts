/**
 * Runtime settings saved through the admin API change the gateway's behaviour without a
 * restart (sticky TTL, cooldowns, request-log retention), and pause/resume go through
 * the scheduler's shared account control.
 */
import { expect } from 'chai';
import { ManualClock, sendRequest } from '@switchyard/core/testing';
import { writeEchoError, writeEchoStream } from '../../../examples/plugin-echo/test/fake-echo-upstream.js';
import { UsageRetentionJob } from '../../src/usage/usage-retention-job.js';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

interface Account {
  id: string;
  enabled: boolean;
  paused?: { at: string; reason?: string };
  state: { coolingDownUntil?: string; cooldownKind?: string; recentErrors?: { at: string; kind: string; message: string }[] };
}

describe('admin API: runtime settings and account control take effect at once', () => {
  let h: AdminHarness;
  let token: string;
  let key: string;
  let clock: ManualClock;
  beforeEach(async () => {
    clock = new ManualClock();
    h = await startAdminHarness({}, [], 'embedded', { clock });
    token = await h.login();
    key = (await h.call('POST', 'api/keys', { token, body: { name: 'k' } })).json<{ plaintext: string }>().plaintext;
  });
  afterEach(async () => h.close());

  const addAccount = async (name: string) =>
    (
      await h.call('POST', 'api/accounts', {
        token,
        body: { type: 'echo-key', name, credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
      })
    ).json<Account>();
  const echo = (session?: string) =>
    sendRequest(`${h.tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${key}` },
      body: { model: 'echo-1', input: 'hi', ...(session ? { session } : {}) },
    });
  /** The account name that served each of the last `count` requests, oldest first. */
  const servedBy = async (count: number) => {
    await h.tg.gateway.settled();
    expect((await h.call('GET', 'api/requests', { token })).json<{ total: number }>().total).to.be.at.least(count);
    const log = (await h.call('GET', `api/requests?limit=${count}`, { token })).json<{ items: { accountName: string }[] }>();
    return log.items.map((item) => item.accountName).reverse();
  };

  it('a shorter sticky TTL saved in the admin unbinds sessions sooner', async () => {
    await addAccount('A');
    await addAccount('B');
    const saved = await h.call('PUT', 'api/settings', { token, body: { stickyTtlMs: 300 } });
    expect(saved.json<{ stickyTtlMs: number }>().stickyTtlMs).to.equal(300);
    expect((await echo('s1')).status).to.equal(200);
    expect((await echo('s1')).status).to.equal(200);
    await clock.advance(300);
    expect((await echo('s1')).status).to.equal(200);
    const [first, second, third] = await servedBy(3);
    expect(second, 'bound within the TTL').to.equal(first);
    expect(third, 'the binding expired: least recently used account').to.not.equal(first);
  });

  it('a cooldown saved in the admin is the one the next upstream failure applies', async () => {
    await addAccount('A');
    await h.call('PUT', 'api/settings', { token, body: { cooldownMs: { upstream_5xx: 4000 } } });
    h.upstream.setHandler((_req, res) => writeEchoError(res, 500));
    const before = clock.now();
    expect((await echo()).status).to.be.greaterThanOrEqual(500);
    const [account] = (await h.call('GET', 'api/accounts', { token })).json<Account[]>();
    expect(account!.state.cooldownKind).to.equal('upstream_5xx');
    expect(account!.state.recentErrors?.[0]).to.include({ kind: 'upstream_5xx' });
    const left = Date.parse(account!.state.coolingDownUntil!) - before;
    expect(left).to.equal(4000);
  });

  it('the attempts per request saved in the admin bound failover', async () => {
    await addAccount('A');
    await addAccount('B');
    // Every attempt fails: count how many accounts one request tries.
    h.upstream.setHandler((_req, res) => writeEchoError(res, 500));
    const tried = () => h.upstream.requests.length;
    await h.call('PUT', 'api/settings', { token, body: { maxAttempts: 1 } });
    let before = tried();
    expect((await echo()).status).to.be.greaterThanOrEqual(500);
    expect(tried() - before, 'one attempt').to.equal(1);
    for (const account of (await h.call('GET', 'api/accounts', { token })).json<Account[]>()) {
      await h.call('POST', `api/accounts/${account.id}/reset`, { token });
    }
    await h.call('PUT', 'api/settings', { token, body: { maxAttempts: 2 } });
    before = tried();
    expect((await echo()).status).to.be.greaterThanOrEqual(500);
    expect(tried() - before, 'failed over to the second account').to.equal(2);
  });

  it('queueing turned on in the admin makes a full key wait instead of answering 429', async () => {
    await addAccount('A');
    const limited = (
      await h.call('POST', 'api/keys', { token, body: { name: 'one-at-a-time', limits: { concurrency: 1 } } })
    ).json<{ plaintext: string }>().plaintext;
    h.upstream.setHandler((_req, res) => void writeEchoStream(res, { intervalMs: 100 }));
    const send = () =>
      sendRequest(`${h.tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${limited}` },
        body: { model: 'echo-1', input: 'hi', stream: true },
      });
    const [first, second] = await Promise.all([send(), send()]);
    expect([first.status, second.status].sort()).to.deep.equal([200, 429], 'queueing is off by default');
    await h.call('PUT', 'api/settings', { token, body: { queue: { enabled: true, maxWaitMs: 10_000 } } });
    const both = await Promise.all([send(), send()]);
    expect(both.map((res) => res.status)).to.deep.equal([200, 200]);
  });

  it('the retention job keeps the request log as long as the admin says', async () => {
    const store = h.tg.gateway.store;
    const old = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const record = {
      id: 'old-1',
      at: old,
      keyId: 'k',
      protocol: 'echo',
      status: 200,
      stream: false,
      latencyMs: 1,
      costMicros: 0,
    };
    const usage = { inputTokens: 1, outputTokens: 1, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 };
    await store.usage.append([{ ...record, usage } as never]);
    const job = new UsageRetentionJob({
      store,
      log: {
        info() {},
        warn() {},
        error() {},
        debug() {},
        child() {
          return this;
        },
      } as never,
      retentionHours: 168,
    });
    await job.run();
    expect(await store.usage.count({ since: old })).to.equal(1);
    expect(
      (await h.call('GET', 'api/settings', { token })).json<{ requestLogRetentionDays: number }>().requestLogRetentionDays,
    ).to.equal(7);
    await h.call('PUT', 'api/settings', { token, body: { requestLogRetentionDays: 1 } });
    await job.run();
    expect(await store.usage.count({ since: old })).to.equal(0);
  });

  it('pause and resume use the shared account control and show in the summary and dashboard', async () => {
    const account = await addAccount('A');
    const paused = (await h.call('POST', `api/accounts/${account.id}/pause`, { token })).json<Account>();
    expect(paused).to.deep.include({ enabled: true });
    expect(paused.paused?.at).to.be.a('string');
    const refused = await echo();
    expect(refused.status).to.be.greaterThanOrEqual(500);
    const dashboard = (await h.call('GET', 'api/dashboard', { token })).json<{ accountHealth: { status: string }[] }>();
    expect(dashboard.accountHealth.map((entry) => entry.status)).to.deep.equal(['paused']);
    await h.call('PATCH', `api/accounts/${account.id}`, { token, body: { enabled: false } });
    const resumed = (await h.call('POST', `api/accounts/${account.id}/resume`, { token })).json<Account>();
    expect(resumed).to.deep.include({ enabled: true });
    expect(resumed.paused).to.equal(undefined);
    expect((await echo()).status).to.equal(200);
  });
});
