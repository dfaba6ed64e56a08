/** Conformance tests of the ephemeral repositories: leases, counters, sticky sessions, account state. */
import { expect } from 'chai';
import { PAST_SHORT_TTL_MS, SHORT_TTL_MS, type StoreAccess, type TimeAccess } from './fixtures.js';
import { MAX_RECENT_ACCOUNT_ERRORS, accountLeaseScope } from '../../../src/store/types.js';

export function describeEphemeralTests(store: StoreAccess, time: TimeAccess): void {
  describe('leases', () => {
    it('enforces the limit per scope and frees a slot on release', async () => {
      const leases = store().leases;
      expect(await leases.acquire('s', 'h1', 2, 60_000)).to.equal(true);
      expect(await leases.acquire('s', 'h2', 2, 60_000)).to.equal(true);
      expect(await leases.acquire('s', 'h3', 2, 60_000)).to.equal(false);
      expect(await leases.acquire('other', 'h3', 2, 60_000)).to.equal(true);
      expect(await leases.count('s')).to.equal(2);
      await leases.release('s', 'h1');
      await leases.release('s', 'never-held');
      expect(await leases.count('s')).to.equal(1);
      expect(await leases.acquire('s', 'h3', 2, 60_000)).to.equal(true);
      expect(await leases.count('s')).to.equal(2);
      expect(await leases.count('empty')).to.equal(0);
      expect(await leases.acquire('zero', 'h1', 0, 60_000)).to.equal(false);
    });

    it('lets a holder re-acquire its own lease at the limit (a refresh)', async () => {
      expect(await store().leases.acquire('s', 'h1', 1, 60_000)).to.equal(true);
      expect(await store().leases.acquire('s', 'h1', 1, 60_000)).to.equal(true);
      expect(await store().leases.count('s')).to.equal(1);
    });

    it('expires unreleased leases after their TTL, freeing the slot', async () => {
      expect(await store().leases.acquire('s', 'crashed', 1, SHORT_TTL_MS)).to.equal(true);
      expect(await store().leases.acquire('s', 'h2', 1, SHORT_TTL_MS)).to.equal(false);
      await time().pass(PAST_SHORT_TTL_MS);
      expect(await store().leases.count('s')).to.equal(0);
      expect(await store().leases.acquire('s', 'h2', 1, 60_000)).to.equal(true);
    });

    it('renews a live lease and refuses to renew an expired or unknown one', async () => {
      await store().leases.acquire('s', 'h1', 1, SHORT_TTL_MS);
      await time().pass(SHORT_TTL_MS / 2);
      expect(await store().leases.renew('s', 'h1', 3 * SHORT_TTL_MS)).to.equal(true);
      await time().pass(PAST_SHORT_TTL_MS);
      expect(await store().leases.count('s')).to.equal(1);
      expect(await store().leases.acquire('s', 'h2', 1, SHORT_TTL_MS)).to.equal(false);
      expect(await store().leases.renew('s', 'unknown', SHORT_TTL_MS)).to.equal(false);
      await time().pass(2 * SHORT_TTL_MS);
      expect(await store().leases.renew('s', 'h1', SHORT_TTL_MS)).to.equal(false);
      expect(await store().leases.count('s')).to.equal(0);
    });
  });

  describe('counters', () => {
    it('increments and reads, 0 when unknown', async () => {
      expect(await store().counters.get('c')).to.equal(0);
      expect(await store().counters.incr('c', 1, 60_000)).to.equal(1);
      expect(await store().counters.incr('c', 5, 60_000)).to.equal(6);
      expect(await store().counters.incr('c', -2, 60_000)).to.equal(4);
      expect(await store().counters.get('c')).to.equal(4);
      expect(await store().counters.get('other')).to.equal(0);
    });

    it('expires ttlMs after creation; later increments do not extend it', async () => {
      const ttl = 400;
      await store().counters.incr('c', 1, ttl);
      await time().pass(250);
      expect(await store().counters.incr('c', 1, ttl)).to.equal(2);
      await time().pass(250);
      expect(await store().counters.get('c')).to.equal(0);
      expect(await store().counters.incr('c', 3, ttl)).to.equal(3);
    });
  });

  describe('sticky', () => {
    it('sets, replaces, gets and deletes bindings', async () => {
      expect(await store().sticky.get('sess')).to.equal(undefined);
      await store().sticky.set('sess', 'a1', 60_000);
      expect(await store().sticky.get('sess')).to.equal('a1');
      await store().sticky.set('sess', 'a2', 60_000);
      expect(await store().sticky.get('sess')).to.equal('a2');
      await store().sticky.delete('sess');
      expect(await store().sticky.get('sess')).to.equal(undefined);
    });

    it('forgets a binding after its TTL', async () => {
      await store().sticky.set('sess', 'a1', SHORT_TTL_MS);
      await time().pass(PAST_SHORT_TTL_MS);
      expect(await store().sticky.get('sess')).to.equal(undefined);
    });
  });

  describe('accountState', () => {
    it('has no entry for accounts without state', async () => {
      expect((await store().accountState.getMany(['x', 'y'])).size).to.equal(0);
      expect((await store().accountState.getMany([])).size).to.equal(0);
    });

    it('sets and clears a cooldown, keeping the last error', async () => {
      const until = time().now() + 60_000;
      const before = time().now();
      await store().accountState.setCooldown('a1', until, 'rate-limit', 'slow down');
      const state = (await store().accountState.getMany(['a1', 'a2'])).get('a1');
      expect(state?.coolingDownUntil).to.equal(until);
      expect(state?.cooldownKind).to.equal('rate-limit');
      expect(state?.lastError?.kind).to.equal('rate-limit');
      expect(state?.lastError?.message).to.equal('slow down');
      expect(state?.lastError?.at).to.be.within(before, time().now());
      await store().accountState.clearCooldown('a1');
      const cleared = (await store().accountState.getMany(['a1'])).get('a1');
      expect(cleared?.coolingDownUntil).to.equal(undefined);
      expect(cleared?.cooldownKind).to.equal(undefined);
      expect(cleared?.lastError?.message).to.equal('slow down');
    });

    it('changes the cooldowns version with every cooldown set or cleared, and only then', async () => {
      const versions = [await store().accountState.cooldownsVersion()];
      await store().accountState.markUsed('v1', time().now());
      expect(await store().accountState.cooldownsVersion()).to.equal(versions[0]);
      await store().accountState.setCooldown('v1', time().now() + 60_000, 'rate-limit', 'slow down');
      versions.push(await store().accountState.cooldownsVersion());
      await store().accountState.clearCooldown('v1');
      versions.push(await store().accountState.cooldownsVersion());
      await store().accountState.setCooldown('v2', 0, 'auth', 'paused: no cooldown, but a change');
      versions.push(await store().accountState.cooldownsVersion());
      expect(new Set(versions).size).to.equal(4);
      expect(await store().accountState.cooldownsVersion()).to.equal(versions[3]);
    });

    it('ends a cooldown by itself at untilMs', async () => {
      await store().accountState.setCooldown('a1', time().now() + SHORT_TTL_MS, 'overloaded', 'busy');
      expect((await store().accountState.getMany(['a1'])).get('a1')?.coolingDownUntil).to.be.a('number');
      await time().pass(PAST_SHORT_TTL_MS);
      const state = (await store().accountState.getMany(['a1'])).get('a1');
      expect(state?.coolingDownUntil).to.equal(undefined);
      expect(state?.lastError?.kind).to.equal('overloaded');
      await store().accountState.setCooldown('a2', time().now() - 1, 'auth', 'past');
      expect((await store().accountState.getMany(['a2'])).get('a2')?.coolingDownUntil).to.equal(undefined);
    });

    it('keeps the latest errors of each account, newest first and bounded', async () => {
      expect((await store().accountState.recentErrors(['e1'])).size).to.equal(0);
      for (let i = 0; i < MAX_RECENT_ACCOUNT_ERRORS + 5; i++) {
        await store().accountState.setCooldown('e1', i % 2 ? time().now() + 60_000 : 0, 'upstream_5xx', `failure ${i}`);
      }
      await store().accountState.setCooldown('e2', 0, 'auth_failed', 'bad token');
      const errors = await store().accountState.recentErrors(['e1', 'e2', 'e3']);
      const first = errors.get('e1')!;
      expect(first).to.have.length(MAX_RECENT_ACCOUNT_ERRORS);
      expect(first[0]!.message).to.equal(`failure ${MAX_RECENT_ACCOUNT_ERRORS + 4}`);
      expect(first.at(-1)!.message).to.equal('failure 5');
      expect(errors.get('e2')).to.deep.include.members([
        { at: errors.get('e2')![0]!.at, kind: 'auth_failed', message: 'bad token' },
      ]);
      expect(errors.has('e3')).to.equal(false);
    });

    it('records lastUsedAt, never moving it backwards, per account', async () => {
      await store().accountState.markUsed('a1', 1_000);
      await store().accountState.markUsed('a1', 3_000);
      await store().accountState.markUsed('a1', 2_000);
      await store().accountState.markUsed('a2', 5_000);
      const states = await store().accountState.getMany(['a1', 'a2', 'a3']);
      expect(states.get('a1')).to.deep.equal({ lastUsedAt: 3_000 });
      expect(states.get('a2')).to.deep.equal({ lastUsedAt: 5_000 });
      expect(states.has('a3')).to.equal(false);
    });

    it('takes an account slot in its lease scope and marks the use, nothing when the slots are full', async () => {
      const { accountState, leases } = store();
      expect(await accountState.takeSlot('t1', 'r1', 2, 60_000, 7_000)).to.equal(true);
      expect(await accountState.takeSlot('t1', 'r2', 2, 60_000, 8_000)).to.equal(true);
      expect(await leases.count(accountLeaseScope('t1'))).to.equal(2);
      expect((await accountState.getMany(['t1'])).get('t1')).to.deep.equal({ lastUsedAt: 8_000 });
      expect(await accountState.takeSlot('t1', 'r3', 2, 60_000, 9_000)).to.equal(false);
      expect((await accountState.getMany(['t1'])).get('t1')).to.deep.equal({ lastUsedAt: 8_000 });
      // The holder's own slot is refreshed whatever the limit, as with leases.acquire.
      expect(await accountState.takeSlot('t1', 'r1', 2, 60_000, 6_000)).to.equal(true);
      expect((await accountState.getMany(['t1'])).get('t1')).to.deep.equal({ lastUsedAt: 8_000 });
      await leases.release(accountLeaseScope('t1'), 'r1');
      expect(await accountState.takeSlot('t1', 'r3', 2, 60_000, 9_000)).to.equal(true);
      expect(await leases.count(accountLeaseScope('t1'))).to.equal(2);
      expect(await leases.renew(accountLeaseScope('t1'), 'r3', 60_000)).to.equal(true);
      expect(await accountState.takeSlot('t1', 'r4', 0, 60_000, 10_000)).to.equal(false);
    });
  });
}
