import { expect } from 'chai';
import { UpstreamError, type Logger } from '@switchyard/plugin-api';
import type { LeaseRepository } from '../store/types.js';
import { AttemptSlots, type AttemptSlotsDeps } from './attempt-slots.js';
import type { PlannedCandidate, SchedulePlan } from './schedule-plan.js';

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => quiet,
};

/** Leases in a map: scope -> holders. */
class MapLeases implements LeaseRepository {
  readonly held = new Map<string, Set<string>>();
  async acquire(scope: string, holder: string, limit: number, _ttlMs: number): Promise<boolean> {
    const holders = this.held.get(scope) ?? new Set<string>();
    if (!holders.has(holder) && holders.size >= limit) return false;
    holders.add(holder);
    this.held.set(scope, holders);
    return true;
  }
  async renew(scope: string, holder: string): Promise<boolean> {
    return this.held.get(scope)?.has(holder) ?? false;
  }
  async release(scope: string, holder: string): Promise<void> {
    this.held.get(scope)?.delete(holder);
  }
  async count(scope: string): Promise<number> {
    return this.held.get(scope)?.size ?? 0;
  }
}

function candidate(id: string, maxConcurrency?: number): PlannedCandidate {
  return {
    account: { id, type: 't', name: id, priority: 50, groups: [], settings: {} },
    protocol: 'p',
    record: { id, ...(maxConcurrency !== undefined ? { maxConcurrency } : {}) },
    accountType: { definition: {} },
  } as unknown as PlannedCandidate;
}

function planOf(candidates: PlannedCandidate[], stickyKey?: string): SchedulePlan {
  return {
    request: { protocol: 'p', operation: 'o', facts: { stream: false }, key: { id: 'k', name: 'k', tags: [] } },
    requestId: 'r1',
    log: quiet,
    candidates,
    stickyKey,
    retryAfterMs: undefined,
    excluded: [],
  } as unknown as SchedulePlan;
}

function setup(maxAttempts = 3) {
  const leases = new MapLeases();
  const reported: string[] = [];
  const bound: string[] = [];
  const deps: AttemptSlotsDeps = {
    config: { scheduling: { leaseTtlMs: 60_000 } } as AttemptSlotsDeps['config'],
    leases,
    maxAttempts: async () => maxAttempts,
    enterPacing: async () => undefined,
    takeSlot: (accountId, holder, limit, ttlMs) => leases.acquire(`account:${accountId}`, holder, limit, ttlMs),
    reportFailure: async (planned, error) => {
      reported.push(`${planned.account.id}:${error.kind}`);
      return 1000;
    },
    bind: async (_plan, accountId) => {
      bound.push(accountId);
    },
  };
  const heldBy = (id: string) => leases.held.get(`account:${id}`)?.size ?? 0;
  return { deps, leases, reported, bound, heldBy };
}

describe('scheduler attempt slots', () => {
  it('hands out one leased slot per account in plan order, failing over after retryable errors only', async () => {
    const { deps, reported, heldBy } = setup();
    const slots = new AttemptSlots(deps, planOf([candidate('a'), candidate('b'), candidate('c')]), new AbortController().signal);
    const tried: string[] = [];
    for await (const slot of slots) {
      tried.push(slot.candidate.account.id);
      expect(heldBy(slot.candidate.account.id)).to.equal(1);
      const kind = tried.length === 1 ? 'overloaded' : 'bad_request';
      expect(await slot.failed(new UpstreamError(kind, 'no'))).to.equal(1000);
      expect(heldBy(slot.candidate.account.id)).to.equal(0);
    }
    expect(tried).to.deep.equal(['a', 'b']);
    expect(reported).to.deep.equal(['a:overloaded', 'b:bad_request']);
    expect(slots.busy).to.equal(false);
    expect(slots.aborted).to.equal(false);
  });

  it('stops at the most attempts', async () => {
    const { deps } = setup(2);
    const tried: string[] = [];
    for await (const slot of new AttemptSlots(
      deps,
      planOf([candidate('a'), candidate('b'), candidate('c')]),
      new AbortController().signal,
    )) {
      tried.push(slot.candidate.account.id);
      await slot.failed(new UpstreamError('overloaded', 'no'));
    }
    expect(tried).to.deep.equal(['a', 'b']);
  });

  it('skips an account whose slots are all taken and says the request found every account busy', async () => {
    const { deps, leases } = setup();
    await leases.acquire('account:a', 'someone-else', 1, 60_000);
    const slots = new AttemptSlots(deps, planOf([candidate('a', 1)]), new AbortController().signal);
    for await (const slot of slots) expect.fail(`no slot expected, got ${slot.candidate.account.id}`);
    expect(slots.busy).to.equal(true);
  });

  it('keeps the lease of a served slot for the caller and binds the session; frees an unsettled slot when the loop ends', async () => {
    const { deps, bound, heldBy } = setup();
    for await (const slot of new AttemptSlots(deps, planOf([candidate('a')], 'sticky'), new AbortController().signal)) {
      const lease = slot.served();
      expect(heldBy('a')).to.equal(1);
      await lease.release();
    }
    expect(bound).to.deep.equal(['a']);
    expect(heldBy('a')).to.equal(0);

    for await (const slot of new AttemptSlots(deps, planOf([candidate('b'), candidate('c')]), new AbortController().signal)) {
      expect(slot.candidate.account.id).to.equal('b');
      break;
    }
    expect(heldBy('b')).to.equal(0);
    expect(heldBy('c')).to.equal(0);
  });

  it('hands out nothing once the client left', async () => {
    const { deps } = setup();
    const abort = new AbortController();
    abort.abort(new Error('client disconnected'));
    const slots = new AttemptSlots(deps, planOf([candidate('a')]), abort.signal);
    for await (const slot of slots) expect.fail(`no slot expected, got ${slot.candidate.account.id}`);
    expect(slots.aborted).to.equal(true);
  });
});
