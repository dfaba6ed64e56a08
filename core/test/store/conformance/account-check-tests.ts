/** Conformance tests of the account check history. */
import { expect } from 'chai';
import { MAX_ACCOUNT_CHECKS, type AccountCheckEntry } from '../../../src/store/types.js';
import type { StoreAccess } from './fixtures.js';

function check(at: number, overrides: Partial<AccountCheckEntry> = {}): AccountCheckEntry {
  return { at, ok: true, latencyMs: 12, trigger: 'schedule', ...overrides };
}

export function describeAccountCheckTests(store: StoreAccess): void {
  describe('accountChecks', () => {
    it('keeps checks per account, newest first, with their details', async () => {
      const failed = check(2000, {
        ok: false,
        message: 'quota exhausted',
        details: { windows: [{ name: '5h', usedPercent: 100 }], balance: { usd: 0 } },
        action: 'paused',
      });
      await store().accountChecks.append('a1', check(1000));
      await store().accountChecks.append('a2', check(1500, { trigger: 'manual' }));
      await store().accountChecks.append('a1', failed);
      expect(await store().accountChecks.list('a1')).to.deep.equal([failed, check(1000)]);
      expect(await store().accountChecks.list('a1', 1)).to.deep.equal([failed]);
      expect(await store().accountChecks.list('a2')).to.deep.equal([check(1500, { trigger: 'manual' })]);
      expect(await store().accountChecks.list('never')).to.deep.equal([]);
    });

    it('answers the latest check of each account asked for', async () => {
      await store().accountChecks.append('a1', check(1000));
      await store().accountChecks.append('a1', check(3000, { ok: false }));
      await store().accountChecks.append('a2', check(2000));
      const latest = await store().accountChecks.latest(['a1', 'a2', 'a3']);
      expect([...latest.keys()].sort()).to.deep.equal(['a1', 'a2']);
      expect(latest.get('a1')).to.deep.equal(check(3000, { ok: false }));
      expect(latest.get('a2')).to.deep.equal(check(2000));
      expect((await store().accountChecks.latest([])).size).to.equal(0);
    });

    it(`keeps only the last ${MAX_ACCOUNT_CHECKS} checks of an account`, async () => {
      for (let i = 1; i <= MAX_ACCOUNT_CHECKS + 5; i++) await store().accountChecks.append('a1', check(i));
      await store().accountChecks.append('a2', check(1));
      const kept = await store().accountChecks.list('a1', 1000);
      expect(kept).to.have.length(MAX_ACCOUNT_CHECKS);
      expect(kept[0]!.at).to.equal(MAX_ACCOUNT_CHECKS + 5);
      expect(kept.at(-1)!.at).to.equal(6);
      expect(await store().accountChecks.list('a2')).to.have.length(1);
    });

    it("deletes one account's history only", async () => {
      await store().accountChecks.append('a1', check(1));
      await store().accountChecks.append('a2', check(2));
      await store().accountChecks.delete('a1');
      await store().accountChecks.delete('never');
      expect(await store().accountChecks.list('a1')).to.deep.equal([]);
      expect((await store().accountChecks.latest(['a1', 'a2'])).has('a2')).to.equal(true);
    });
  });
}
