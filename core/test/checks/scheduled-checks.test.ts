import { expect } from 'chai';
import { createTestGateway, ManualClock, waitFor, type TestGateway } from '@switchyard/core/testing';
import type { AccountCheckEvent } from '../../src/checks/account-checks.js';
import { ACCOUNT_CONTROL_SETTING } from '../../src/scheduler/account-control.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { statusPlugin } from '../fixtures/status-plugin.js';
import { startStatusUpstream, type StatusUpstream } from '../fixtures/status-upstream.js';

const TICK_MS = 60_000;

describe('scheduled account checks (embedded store, manual clock)', function () {
  this.timeout(60_000);
  let clock: ManualClock;
  let upstream: StatusUpstream;
  let tg: TestGateway;
  let ids: Record<string, string>;
  const events: AccountCheckEvent[] = [];

  const account = (name: string, enabled = true) => ({
    type: 'status-upstream',
    name,
    enabled,
    credentials: { token: `token-${name}`, baseUrl: upstream.url },
  });
  const ticks = () => tg.logs.filter((line) => line['message'] === 'account checks tick').length;
  /**
   * Moves the clock by `ms`, one tick at a time, waiting for each tick to finish (a tick
   * that falls due while the one before still runs is skipped, as in production).
   */
  async function advance(ms: number): Promise<void> {
    const until = clock.now() + ms;
    while (clock.now() < until) {
      const step = Math.min(until - clock.now(), TICK_MS - (clock.now() % TICK_MS));
      const expected = ticks() + (step === TICK_MS - (clock.now() % TICK_MS) ? 1 : 0);
      await clock.advance(step);
      await waitFor(() => ticks() >= expected, { what: `check tick ${expected}`, timeoutMs: 20_000 });
    }
  }
  const history = (name: string) => tg.gateway.store.accountChecks.list(ids[name]!);

  before(async () => {
    // Ticks fall on whole minutes of the manual clock, so `advance` can count them.
    clock = new ManualClock(Math.ceil(Date.now() / TICK_MS) * TICK_MS);
    upstream = await startStatusUpstream();
    tg = await createTestGateway({
      plugins: [tickPlugin, statusPlugin],
      clock,
      config: {
        checks: { intervalMinutes: 5 },
        scheduling: {
          accounts: {
            'acc-off': { check: { intervalMinutes: 0 } },
            'acc-pause': { check: { intervalMinutes: 2, onFailure: 'pause' } },
            'acc-cool': { check: { intervalMinutes: 2, onFailure: 'cooldown', cooldownMinutes: 10 } },
          },
        },
      },
    });
    ids = {};
    for (const [id, input] of [
      ['acc-default', account('default')],
      ['acc-off', account('off')],
      ['acc-pause', account('pause')],
      ['acc-cool', account('cool')],
      ['acc-disabled', account('disabled', false)],
    ] as const) {
      ids[input.name] = (await tg.gateway.createAccount({ ...input, id })).id;
    }
    // A type without a probe is never checked.
    await tg.gateway.createAccount({ type: 'tick-upstream', name: 'no-probe', credentials: { token: 'tick-token' } });
    tg.gateway.onAccountCheck((event) => void events.push(event));
  });
  after(async () => {
    await tg?.close();
    await upstream?.close();
  });

  it('checks each account on its own interval, the default one otherwise, and skips off, disabled and probe-less ones', async () => {
    await advance(TICK_MS);
    expect((await history('default')).map((entry) => entry.trigger)).to.deep.equal(['schedule']);
    expect((await history('pause')).length).to.equal(1);
    expect((await history('cool')).length).to.equal(1);
    expect(await history('off')).to.deep.equal([]);
    expect(await history('disabled')).to.deep.equal([]);
    expect(upstream.hits.get('token-off')).to.equal(undefined);
    const [first] = await history('default');
    expect(first).to.deep.include({ ok: true, message: 'healthy', at: clock.now(), trigger: 'schedule' });
    expect(first!.details).to.deep.equal({ balance: { usd: 12.5 }, windows: [{ name: '5h', usedPercent: 40 }] });

    // One minute later nothing is due; two minutes after their first check the 2-minute ones are.
    await advance(TICK_MS);
    expect((await history('pause')).length).to.equal(1);
    await advance(TICK_MS);
    expect((await history('pause')).length).to.equal(2);
    expect((await history('default')).length).to.equal(1);
    await advance(3 * TICK_MS);
    expect((await history('default')).length).to.equal(2);
    expect(upstream.hits.get('token-default')).to.equal(2);
  });

  it('pauses an account whose check fails when asked to, and resumes it when a check passes', async () => {
    upstream.setStatus('token-pause', 503);
    await advance(2 * TICK_MS);
    const [failed] = await history('pause');
    expect(failed).to.deep.include({ ok: false, message: 'status answered 503', action: 'paused' });
    const paused = (await tg.gateway.store.settings.get<Record<string, { paused?: { by?: string } }>>(ACCOUNT_CONTROL_SETTING))?.[
      'acc-pause'
    ]?.paused;
    expect(paused).to.deep.include({ by: 'check', reason: 'check failed: status answered 503' });

    // Still failing: stays paused, nothing more to do.
    await advance(2 * TICK_MS);
    expect((await history('pause'))[0])
      .to.deep.include({ ok: false })
      .and.not.have.property('action');

    upstream.setStatus('token-pause', 200);
    await advance(2 * TICK_MS);
    expect((await history('pause'))[0]).to.deep.include({ ok: true, action: 'resumed' });
    const control = await tg.gateway.store.settings.get<Record<string, { paused?: unknown }>>(ACCOUNT_CONTROL_SETTING);
    expect(control?.['acc-pause']?.paused).to.equal(undefined);
  });

  it("leaves an operator's pause alone when a check passes", async () => {
    const stored = (await tg.gateway.store.settings.get<Record<string, object>>(ACCOUNT_CONTROL_SETTING)) ?? {};
    const operatorPause = { at: new Date(clock.now()).toISOString(), reason: 'paused by root' };
    await tg.gateway.store.settings.set(ACCOUNT_CONTROL_SETTING, { ...stored, 'acc-pause': { paused: operatorPause } });
    await advance(2 * TICK_MS + 1000);
    expect((await history('pause'))[0])
      .to.deep.include({ ok: true })
      .and.not.have.property('action');
    const control = await tg.gateway.store.settings.get<Record<string, { paused?: unknown }>>(ACCOUNT_CONTROL_SETTING);
    expect(control?.['acc-pause']?.paused).to.deep.equal(operatorPause);
  });

  it('cools an account down when its check fails, and clears that cooldown when one passes', async () => {
    upstream.setStatus('token-cool', 500);
    await advance(2 * TICK_MS);
    const [failed] = await history('cool');
    expect(failed).to.deep.include({ ok: false, action: 'cooled-down' });
    const state = (await tg.gateway.store.accountState.getMany(['acc-cool'])).get('acc-cool');
    expect(state).to.deep.include({ cooldownKind: 'check_failed', coolingDownUntil: failed!.at + 10 * 60_000 });

    upstream.setStatus('token-cool', 200);
    await advance(2 * TICK_MS);
    expect((await history('cool'))[0]).to.deep.include({ ok: true, action: 'cooldown-cleared' });
    expect((await tg.gateway.store.accountState.getMany(['acc-cool'])).get('acc-cool')?.coolingDownUntil).to.equal(undefined);
  });

  it('tells listeners of every check with the one before it', async () => {
    const failed = events.find((event) => event.accountId === 'acc-pause' && !event.entry.ok)!;
    expect(failed).to.deep.include({ accountName: 'pause', accountType: 'status-upstream' });
    expect(failed.entry.trigger).to.equal('schedule');
    expect(failed.previous?.ok).to.equal(true);
    expect(events.filter((event) => event.accountId === 'acc-default')).to.have.length((await history('default')).length);
  });
});
