/** Conformance tests of the usage repository's filters (the request log's). */
import { expect } from 'chai';
import type { UsageQuery } from '../../../src/store/types.js';
import { usageRecord, type StoreAccess } from './fixtures.js';

const T0 = Date.parse('2025-03-01T00:00:00.000Z');
const MINUTE = 60_000;

export function describeUsageFilterTests(store: StoreAccess): void {
  describe('usage filters', () => {
    const ids = async (query: UsageQuery) => (await store().usage.list(query)).map((r) => r.id);

    beforeEach(async () => {
      await store().usage.append([
        usageRecord('r1', T0, 'ka', { accountId: 'acc-1', model: 'm-big', client: 'claude-cli', keyName: 'Alice' }),
        usageRecord('r2', T0 + MINUTE, 'ka', { accountId: 'acc-2', status: 429, reason: 'rate_limited', client: 'curl' }),
        usageRecord('r3', T0 + 2 * MINUTE, 'kb', {
          accountId: 'acc-1',
          model: 'alias',
          requestedModel: 'm-small',
          status: 200,
          incomplete: true,
          session: 'Session-XYZ',
        }),
        usageRecord('r4', T0 + 3 * MINUTE, 'kb', { accountId: 'acc-2', status: 502, upstreamModel: 'm-big-2025' }),
        usageRecord('r5', T0 + 4 * MINUTE, 'ka', { status: 200, client: 'claude-cli' }),
      ]);
    });

    it('filters by account, model (served, requested or upstream), outcome, status and client', async () => {
      expect(await ids({ accountId: 'acc-1' })).to.deep.equal(['r3', 'r1']);
      expect(await ids({ model: 'm-big' })).to.deep.equal(['r1']);
      expect(await ids({ model: 'm-small' })).to.deep.equal(['r3']);
      expect(await ids({ model: 'm-big-2025' })).to.deep.equal(['r4']);
      expect(await ids({ outcome: 'error' })).to.deep.equal(['r4', 'r3', 'r2']);
      expect(await ids({ outcome: 'success' })).to.deep.equal(['r5', 'r1']);
      expect(await ids({ status: 429 })).to.deep.equal(['r2']);
      expect(await ids({ client: 'claude-cli' })).to.deep.equal(['r5', 'r1']);
      expect(await ids({ client: 'nobody' })).to.deep.equal([]);
      expect(await store().usage.count({ outcome: 'error' })).to.equal(3);
      expect(await store().usage.count({ accountId: 'acc-2', outcome: 'error' })).to.equal(2);
    });

    it('combines filters with key, time range and limit', async () => {
      expect(await ids({ keyId: 'ka', outcome: 'error' })).to.deep.equal(['r2']);
      expect(await ids({ keyId: 'kb', accountId: 'acc-2' })).to.deep.equal(['r4']);
      const since = new Date(T0 + MINUTE).toISOString();
      const until = new Date(T0 + 4 * MINUTE).toISOString();
      expect(await ids({ since, until, outcome: 'error' })).to.deep.equal(['r4', 'r3', 'r2']);
      expect(await ids({ since, until, outcome: 'error', limit: 2 })).to.deep.equal(['r4', 'r3']);
      expect(await store().usage.count({ since, until, outcome: 'error', keyId: 'kb' })).to.equal(2);
    });

    it('searches ids, key names, models, reasons and sessions, ignoring case', async () => {
      expect(await ids({ search: 'alice' })).to.deep.equal(['r1']);
      expect(await ids({ search: 'RATE_LIM' })).to.deep.equal(['r2']);
      expect(await ids({ search: 'session-xyz' })).to.deep.equal(['r3']);
      expect(await ids({ search: 'm-big' })).to.deep.equal(['r4', 'r1']);
      expect(await ids({ search: 'r5' })).to.deep.equal(['r5']);
      expect(await ids({ search: "it's 100% _" })).to.deep.equal([]);
      expect(await store().usage.count({ search: 'm-big', keyId: 'ka' })).to.equal(1);
    });

    it('filters past many records, newest first, counting them all', async () => {
      const many = Array.from({ length: 4500 }, (_, i) =>
        usageRecord(`n${i}`, T0 + 10 * MINUTE + i, 'kn', i % 1000 === 7 ? { status: 500 } : {}),
      );
      for (let i = 0; i < many.length; i += 1000) await store().usage.append(many.slice(i, i + 1000));
      expect(await ids({ keyId: 'kn', outcome: 'error' })).to.deep.equal(['n4007', 'n3007', 'n2007', 'n1007', 'n7']);
      expect(await ids({ keyId: 'kn', outcome: 'error', limit: 2 })).to.deep.equal(['n4007', 'n3007']);
      expect(await store().usage.count({ outcome: 'error' })).to.equal(8);
      expect(await store().usage.count({ keyId: 'kn', outcome: 'success' })).to.equal(4495);
    });
  });
}
