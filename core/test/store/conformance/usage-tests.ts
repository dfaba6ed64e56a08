/** Conformance tests of the usage repository. */
import { expect } from 'chai';
import type { UsageRecord } from '@switchyard/plugin-api';
import { rejectsWith, usageRecord, type StoreAccess } from './fixtures.js';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const MINUTE = 60_000;

export function describeUsageTests(store: StoreAccess): void {
  describe('usage', () => {
    it('appends and lists newest first, keeping every field', async () => {
      const records = [
        usageRecord('u1', T0),
        usageRecord('u3', T0 + 2 * MINUTE, 'k2', { firstByteMs: 9 }),
        usageRecord('u2', T0 + MINUTE),
      ];
      await store().usage.append(records);
      const listed = await store().usage.list();
      expect(listed.map((r) => r.id)).to.deep.equal(['u3', 'u2', 'u1']);
      expect(listed[0]).to.deep.equal(records[1]);
      expect(await store().usage.count()).to.equal(3);
    });

    it('accepts an empty append and ignores a record id it already has', async () => {
      await store().usage.append([]);
      await store().usage.append([usageRecord('u1', T0)]);
      await store().usage.append([usageRecord('u1', T0 + MINUTE, 'k1', { status: 500 })]);
      expect(await store().usage.count()).to.equal(1);
      expect((await store().usage.list())[0]?.status).to.equal(200);
    });

    it('tells which of a list of ids are stored', async () => {
      expect(await store().usage.storedIds([])).to.deep.equal(new Set());
      const records = Array.from({ length: 600 }, (_, i) => usageRecord(`s${i}`, T0 + i));
      await store().usage.append(records.filter((_, i) => i % 3 === 0));
      const asked = [...records.map((r) => r.id), 'never', "quote'd"];
      const stored = await store().usage.storedIds(asked);
      expect([...stored].sort()).to.deep.equal(
        records
          .filter((_, i) => i % 3 === 0)
          .map((r) => r.id)
          .sort(),
      );
    });

    it('stores every record of a large batch once, in order, ignoring ids repeated within it', async () => {
      // 70 records: more than one multi-row statement's worth, plus a remainder, plus repeats.
      const records = Array.from({ length: 70 }, (_, i) => usageRecord(`b${i}`, T0 + Math.floor(i / 2) * 1000, `k${i % 3}`));
      await store().usage.append([...records, usageRecord('b5', T0, 'k9', { status: 500 }), usageRecord('b69', T0)]);
      expect(await store().usage.count()).to.equal(70);
      const listed = await store().usage.list({ limit: 70 });
      // Newest first; records of the same instant newest-appended first.
      expect(listed.map((r) => r.id)).to.deep.equal(records.map((r) => r.id).reverse());
      expect(listed.find((r) => r.id === 'b5')).to.deep.equal(records[5]);
      expect(await store().usage.count({ keyId: 'k1' })).to.equal(23);
    });

    it('refuses a batch holding a record it cannot keep with a RecordRefusedError, storing none of it', async () => {
      const withRaw = (raw: unknown) => usageRecord('bad', T0, 'k1', { usage: { ...usageRecord('x', T0).usage, raw } });
      for (const bad of [withRaw(10n), withRaw(circular()), usageRecord('bad', T0, 'k1', { at: 'yesterday' })]) {
        await rejectsWith(store().usage.append([usageRecord('u1', T0), bad]), 'RecordRefusedError');
      }
      expect(await store().usage.count()).to.equal(0);
      await store().usage.append([usageRecord('u1', T0)]);
      expect(await store().usage.count()).to.equal(1);
    });

    it("stores a record's JSON form: functions and undefined fields are left out, dates become ISO text", async () => {
      const record = usageRecord('u1', T0, 'k1', {
        usage: { ...usageRecord('x', T0).usage, raw: { when: new Date(T0), note: undefined, format: () => 'x' } },
      });
      await store().usage.append([{ ...record, extra: () => 1 } as UsageRecord]);
      const [stored] = await store().usage.list();
      expect(stored).to.deep.equal({ ...record, usage: { ...record.usage, raw: { when: new Date(T0).toISOString() } } });
    });

    it('filters by key, since (inclusive) and until (exclusive)', async () => {
      await store().usage.append([
        usageRecord('a1', T0, 'ka'),
        usageRecord('b1', T0 + MINUTE, 'kb'),
        usageRecord('a2', T0 + 2 * MINUTE, 'ka'),
        usageRecord('a3', T0 + 3 * MINUTE, 'ka'),
      ]);
      const iso = (ms: number): string => new Date(ms).toISOString();
      expect((await store().usage.list({ keyId: 'ka' })).map((r) => r.id)).to.deep.equal(['a3', 'a2', 'a1']);
      expect((await store().usage.list({ since: iso(T0 + MINUTE) })).map((r) => r.id)).to.deep.equal(['a3', 'a2', 'b1']);
      expect((await store().usage.list({ until: iso(T0 + 2 * MINUTE) })).map((r) => r.id)).to.deep.equal(['b1', 'a1']);
      const window = { keyId: 'ka', since: iso(T0 + MINUTE), until: iso(T0 + 3 * MINUTE) };
      expect((await store().usage.list(window)).map((r) => r.id)).to.deep.equal(['a2']);
      expect(await store().usage.count({ keyId: 'ka' })).to.equal(3);
      expect(await store().usage.count({ keyId: 'kb' })).to.equal(1);
      expect(await store().usage.count({ keyId: 'none' })).to.equal(0);
      expect(await store().usage.count(window)).to.equal(1);
      expect(await store().usage.count({ since: iso(T0 + MINUTE) })).to.equal(3);
    });

    it('limits to the newest N, 100 by default', async () => {
      const records = Array.from({ length: 105 }, (_, i) => usageRecord(`u${i}`, T0 + i * 1000));
      await store().usage.append(records);
      const page = await store().usage.list();
      expect(page).to.have.length(100);
      expect(page[0]?.id).to.equal('u104');
      expect(page[99]?.id).to.equal('u5');
      expect((await store().usage.list({ limit: 2 })).map((r) => r.id)).to.deep.equal(['u104', 'u103']);
      expect(
        (await store().usage.list({ limit: 2, keyId: 'k1', until: new Date(T0 + 3000).toISOString() })).map((r) => r.id),
      ).to.deep.equal(['u2', 'u1']);
      expect(await store().usage.list({ limit: 0 })).to.deep.equal([]);
      expect(await store().usage.count()).to.equal(105);
    });
  });
}

function circular(): unknown {
  const node: { self?: unknown } = {};
  node.self = node;
  return node;
}
