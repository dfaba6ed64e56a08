/**
 * The check runner's lease at shutdown: once `release()` has run, the instance neither
 * holds nor re-takes `checks:runner`, even when a tick was in flight, so another instance
 * takes over at its next tick (the multi-instance test "moves to the other process when
 * the runner stops" depends on it).
 */
import { expect } from 'chai';
import { ManualClock, silentLogger } from '@switchyard/core/testing';
import { AccountCheckRunner, CHECK_RUNNER_LEASE, type AccountCheckRunnerDeps } from '../../src/checks/account-check-runner.js';
import { MemoryLeases } from '../../src/store/embedded/memory-leases.js';
import type { AccountRecord } from '../../src/store/types.js';

/** A promise opened from outside. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Lease calls that wait for `acquireGate` before taking the lease, as a slow store round trip would. */
class SlowAcquireLeases extends MemoryLeases {
  acquireGate: Promise<void> = Promise.resolve();

  override async acquire(scope: string, holder: string, limit: number, ttlMs: number): Promise<boolean> {
    await this.acquireGate;
    return super.acquire(scope, holder, limit, ttlMs);
  }
}

function runnerOver(leases: MemoryLeases, listed: Promise<void>, checked: string[]): AccountCheckRunner {
  const account = { id: 'acct-1', type: 'probed', enabled: true } as AccountRecord;
  const deps: AccountCheckRunnerDeps = {
    checks: {
      policies: async (ids) =>
        new Map(ids.map((id) => [id, { intervalMinutes: 5, onFailure: 'none', cooldownMinutes: 0, ownInterval: false }])),
      latest: async () => new Map(),
      run: async (id) => {
        checked.push(id);
        return { status: 'checked' } as Awaited<ReturnType<AccountCheckRunnerDeps['checks']['run']>>;
      },
    },
    accounts: {
      listRecords: async () => {
        await listed;
        return [account];
      },
    },
    registry: { accountType: () => ({ definition: { probe: async () => ({ ok: true }) } }) } as never,
    store: { leases },
    clock: leases.clock,
    log: silentLogger,
    tickMs: 60_000,
    holder: 'instance-a',
  };
  return new AccountCheckRunner(deps);
}

describe('AccountCheckRunner.release', () => {
  it('gives the lease back when a tick was taking it as the runner stopped', async () => {
    const leases = new SlowAcquireLeases(new ManualClock());
    const slow = gate();
    leases.acquireGate = slow.opened;
    const checked: string[] = [];
    const runner = runnerOver(leases, Promise.resolve(), checked);

    const tick = runner.runDue();
    await runner.release();
    slow.open();
    const result = await tick;

    expect(result.runner).to.equal(false);
    expect(checked).to.deep.equal([]);
    leases.acquireGate = Promise.resolve();
    expect(await leases.acquire(CHECK_RUNNER_LEASE, 'instance-b', 1, 60_000)).to.equal(true);
  });

  it('checks nothing more when the runner stops while the tick reads the accounts', async () => {
    const leases = new MemoryLeases(new ManualClock());
    const listing = gate();
    const checked: string[] = [];
    const runner = runnerOver(leases, listing.opened, checked);

    const tick = runner.runDue();
    await runner.release();
    listing.open();
    await tick;

    expect(checked).to.deep.equal([]);
    expect(await leases.acquire(CHECK_RUNNER_LEASE, 'instance-b', 1, 60_000)).to.equal(true);
  });

  it('never takes the lease again after it stopped', async () => {
    const leases = new MemoryLeases(new ManualClock());
    const checked: string[] = [];
    const runner = runnerOver(leases, Promise.resolve(), checked);

    expect((await runner.runDue()).checked).to.deep.equal(['acct-1']);
    await runner.release();
    expect(await runner.runDue()).to.deep.equal({ runner: false, checked: [] });
    expect(await leases.acquire(CHECK_RUNNER_LEASE, 'instance-b', 1, 60_000)).to.equal(true);
  });
});
