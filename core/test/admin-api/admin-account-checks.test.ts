/**
 * The admin API of account checks: "check now" recorded in the history with the probe's
 * details, the account's own policy and the defaults in the runtime settings, the latest
 * check in the account list, and the history forgotten with the account.
 */
import { expect } from 'chai';
import { ManualClock } from '@switchyard/core/testing';
import { statusPlugin } from '../fixtures/status-plugin.js';
import { flowPlugin } from './flow-plugin.js';
import { startStatusUpstream, type StatusUpstream } from '../fixtures/status-upstream.js';
import { startAdminHarness, type AdminHarness } from './admin-harness.js';

interface CheckView {
  at: string;
  ok: boolean;
  message?: string;
  latencyMs: number;
  details?: Record<string, unknown>;
  trigger: string;
  action?: string;
}
interface CheckStatus {
  intervalMinutes: number;
  onFailure: string;
  cooldownMinutes: number;
  ownInterval: boolean;
  canCheck: boolean;
  nextAt?: string;
  latest?: CheckView;
}
interface Account {
  id: string;
  name: string;
  paused?: { by?: string; reason?: string };
  check: CheckStatus;
}

describe('admin API: account checks', function () {
  this.timeout(60_000);
  let h: AdminHarness;
  let status: StatusUpstream;
  let token: string;
  let clock: ManualClock;
  before(async () => {
    clock = new ManualClock();
    status = await startStatusUpstream();
    h = await startAdminHarness({ checks: { intervalMinutes: 30 } }, [statusPlugin, flowPlugin], 'embedded', { clock });
    token = await h.login();
  });
  after(async () => {
    await h.close();
    await status.close();
  });

  const create = async (name: string, type = 'status-upstream') =>
    (
      await h.call('POST', 'api/accounts', {
        token,
        body: { type, name, credentials: { token: `token-${name}`, baseUrl: status.url } },
      })
    ).json<Account>();

  it('checks an account now, records it with its details, and shows it as the latest check', async () => {
    const account = await create('alpha');
    expect(account.check).to.deep.include({ intervalMinutes: 30, onFailure: 'none', ownInterval: false, canCheck: true });
    expect(account.check.latest).to.equal(undefined);
    const checked = await h.call('POST', `api/accounts/${account.id}/checks`, { token });
    expect(checked.status).to.equal(200);
    const entry = checked.json<CheckView>();
    expect(entry).to.deep.include({ ok: true, message: 'healthy', trigger: 'manual', at: new Date(clock.now()).toISOString() });
    expect(entry.details).to.deep.equal({ balance: { usd: 12.5 }, windows: [{ name: '5h', usedPercent: 40 }] });

    const listed = (await h.call('GET', 'api/accounts', { token })).json<Account[]>().find((one) => one.id === account.id)!;
    expect(listed.check.latest).to.deep.equal(entry);
    expect(listed.check.nextAt).to.equal(new Date(clock.now() + 30 * 60_000).toISOString());

    await clock.advance(1000);
    status.setStatus('token-alpha', 502);
    const failed = (await h.call('POST', `api/accounts/${account.id}/checks`, { token })).json<CheckView>();
    expect(failed).to.deep.include({ ok: false, message: 'status answered 502' });
    const history = await h.call('GET', `api/accounts/${account.id}/checks`, { token });
    expect(history.status).to.equal(200);
    const body = history.json<{ status: CheckStatus; history: CheckView[] }>();
    expect(body.history.map((one) => one.ok)).to.deep.equal([false, true]);
    expect(body.status.latest).to.deep.equal(failed);
    const one = await h.call('GET', `api/accounts/${account.id}/checks?limit=1`, { token });
    expect(one.json<{ history: CheckView[] }>().history).to.have.length(1);
    status.setStatus('token-alpha', 200);
  });

  it("sets an account's own policy, and a failed check now applies it", async () => {
    const account = await create('beta');
    const set = await h.call('PUT', `api/accounts/${account.id}/check-policy`, {
      token,
      body: { intervalMinutes: 0, onFailure: 'pause' },
    });
    expect(set.status).to.equal(200);
    expect(set.json<CheckStatus>()).to.deep.include({ intervalMinutes: 0, onFailure: 'pause', ownInterval: true });
    expect(set.json<CheckStatus>().nextAt).to.equal(undefined);

    status.setStatus('token-beta', 503);
    const failed = (await h.call('POST', `api/accounts/${account.id}/checks`, { token })).json<CheckView>();
    expect(failed).to.deep.include({ ok: false, action: 'paused' });
    const paused = (await h.call('GET', `api/accounts/${account.id}`, { token })).json<Account>();
    expect(paused.paused).to.deep.include({ by: 'check', reason: 'check failed: status answered 503' });

    status.setStatus('token-beta', 200);
    const passed = (await h.call('POST', `api/accounts/${account.id}/checks`, { token })).json<CheckView>();
    expect(passed).to.deep.include({ ok: true, action: 'resumed' });
    expect((await h.call('GET', `api/accounts/${account.id}`, { token })).json<Account>().paused).to.equal(undefined);

    const back = await h.call('PUT', `api/accounts/${account.id}/check-policy`, {
      token,
      body: { intervalMinutes: null, onFailure: null },
    });
    expect(back.json<CheckStatus>()).to.deep.include({ intervalMinutes: 30, onFailure: 'none', ownInterval: false });
    const bad = await h.call('PUT', `api/accounts/${account.id}/check-policy`, { token, body: { onFailure: 'explode' } });
    expect(bad.status).to.equal(400);
    expect((await h.call('PUT', 'api/accounts/nope/check-policy', { token, body: {} })).status).to.equal(404);
  });

  it('keeps the check defaults in the runtime settings', async () => {
    const before = (await h.call('GET', 'api/settings', { token })).json<{ checks: Record<string, unknown> }>();
    expect(before.checks).to.deep.equal({ intervalMinutes: 30, onFailure: 'none', cooldownMinutes: 30 });
    const saved = await h.call('PUT', 'api/settings', {
      token,
      body: { checks: { intervalMinutes: 15, onFailure: 'cooldown' } },
    });
    expect(saved.status).to.equal(200);
    expect(saved.json<{ checks: Record<string, unknown> }>().checks).to.deep.equal({
      intervalMinutes: 15,
      onFailure: 'cooldown',
      cooldownMinutes: 30,
    });
    const account = await create('gamma');
    expect(account.check).to.deep.include({ intervalMinutes: 15, onFailure: 'cooldown' });
    expect((await h.call('PUT', 'api/settings', { token, body: { checks: { intervalMinutes: -1 } } })).status).to.equal(400);
  });

  it('answers 400 for a type without a probe and 404 for an unknown account, and forgets a deleted account', async () => {
    const flow = await create('flow', 'flowdemo-token');
    expect(flow.check.canCheck).to.equal(false);
    expect(flow.check.nextAt).to.equal(undefined);
    const noProbe = await h.call('POST', `api/accounts/${flow.id}/checks`, { token });
    expect(noProbe.status).to.equal(400);
    expect((await h.call('POST', 'api/accounts/nope/checks', { token })).status).to.equal(404);
    expect((await h.call('GET', 'api/accounts/nope/checks', { token })).status).to.equal(404);
    expect((await h.call('GET', `api/accounts/${flow.id}/checks`, { token })).status).to.equal(200);
    expect((await h.call('GET', `api/accounts/${flow.id}/checks`)).status).to.equal(401);

    const doomed = await create('doomed');
    await h.call('POST', `api/accounts/${doomed.id}/checks`, { token });
    expect(await h.tg.gateway.store.accountChecks.list(doomed.id)).to.have.length(1);
    expect((await h.call('DELETE', `api/accounts/${doomed.id}`, { token })).status).to.equal(200);
    expect(await h.tg.gateway.store.accountChecks.list(doomed.id)).to.deep.equal([]);
  });
});
