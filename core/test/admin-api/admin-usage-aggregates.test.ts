/**
 * Usage summaries come from the stored aggregates (exact whatever the volume): whole
 * days and hours from aggregate rows, partial edge hours from the records, never both.
 */
import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import type { UsageRecord } from '@switchyard/plugin-api';
import { aggregateDeltas } from '../../src/usage/aggregate-deltas.js';
import { TimeBuckets } from '../../src/usage/time-buckets.js';
import { periodRuns, planPeriods } from '../../src/admin-api/usage-periods.js';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from './admin-harness.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Totals {
  requests: number;
  inputTokens: number;
}
interface Summary {
  totals: Totals;
  series: (Totals & { start: string })[];
  byModel: (Totals & { id: string })[];
  byKey: (Totals & { id: string; name: string })[];
  byAccount: (Totals & { id: string; name: string })[];
  truncated: boolean;
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`admin API: usage summaries from the stored aggregates (${store})`, () => {
    let h: AdminHarness;
    let token: string;
    let keyId: string;
    let key: string;
    let accountId: string;
    beforeEach(async () => {
      h = await startAdminHarness({}, [], store);
      token = await h.login();
      const created = (await h.call('POST', 'api/keys', { token, body: { name: 'carol' } })).json<{
        key: { id: string };
        plaintext: string;
      }>();
      keyId = created.key.id;
      key = created.plaintext;
      const account = await h.call('POST', 'api/accounts', {
        token,
        body: { type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
      });
      accountId = account.json<{ id: string }>().id;
    });
    afterEach(async () => h.close());

    const record = (at: number, extra: Partial<UsageRecord> = {}): UsageRecord =>
      ({
        id: `r-${at}-${Math.random()}`,
        at: new Date(at).toISOString(),
        keyId,
        accountId,
        protocol: 'echo',
        model: 'echo-old',
        status: 200,
        stream: false,
        latencyMs: 1,
        costMicros: 10,
        usage: { inputTokens: 3, outputTokens: 2, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 },
        ...extra,
      }) as UsageRecord;
    const aggregate = (records: UsageRecord[]) =>
      h.tg.gateway.store.usageAggregates.add(
        aggregateDeltas(records, new TimeBuckets('UTC'), { hourlyDays: 8, dailyDays: 400, monthlyDays: 3660 }),
      );
    const summary = async (query: string, path = 'api/usage/summary') => {
      const res = await h.call('GET', `${path}?${query}`, { token });
      expect(res.status, res.text()).to.equal(200);
      return res.json<Summary>();
    };
    const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

    it('counts aggregated days beyond any record limit, by model, key and account', async () => {
      const dayStart = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
      // One aggregated batch standing for 100 000 requests; no records exist for it.
      await aggregate([record(dayStart + 12 * HOUR, { requests: 100_000 } as Partial<UsageRecord>)]);
      const week = await summary(`since=${iso(Date.now() - 7 * DAY)}&bucket=day`);
      expect(week.totals.requests).to.equal(100_000);
      expect(week.truncated).to.equal(false);
      expect(week.byModel).to.deep.equal([{ id: 'echo-old', name: 'echo-old', ...week.totals }]);
      expect(week.byKey.map((group) => [group.name, group.requests])).to.deep.equal([['carol', 100_000]]);
      expect(week.byAccount.map((group) => [group.name, group.requests])).to.deep.equal([['Echo', 100_000]]);
      const slot = week.series.find((entry) => entry.start === new Date(dayStart).toISOString());
      expect(slot?.requests).to.equal(100_000);
      const mine = await summary(`since=${iso(Date.now() - 7 * DAY)}`, `api/keys/${keyId}/usage`);
      expect(mine.totals.requests).to.equal(100_000);
      expect(mine.byModel.map((group) => group.id)).to.deep.equal(['echo-old']);
      expect(mine.byAccount.map((group) => group.name)).to.deep.equal([]);
      const other = await summary(`since=${iso(Date.now() - 7 * DAY)}&keyId=nobody`);
      expect(other.totals.requests).to.equal(0);
    });

    it('reads whole hours from the aggregates and partial hours from the records, never both', async () => {
      const hourStart = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;
      const old = record(hourStart + 30 * 60_000);
      await h.tg.gateway.store.usage.append([old]);
      await aggregate([old]);
      const res = await sendRequest(`${h.tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${key}` },
        body: { model: 'echo-1', input: 'a b' },
      });
      expect(res.status).to.equal(200);
      await waitFor(async () => (await h.call('GET', 'api/requests', { token })).json<{ total: number }>().total >= 2, {
        timeoutMs: 5000,
      });
      // The old hour whole (from its aggregate row), the current hour partial (from the records).
      const whole = await summary(`since=${iso(hourStart - 15 * 60_000)}&bucket=hour`);
      expect(whole.totals).to.deep.include({ requests: 2, inputTokens: 3 + 2 });
      // Largest cost first: the old record costs 10, the echo request less.
      expect(whole.byModel.map((group) => [group.id, group.requests])).to.deep.equal([
        ['echo-old', 1],
        ['echo-1', 1],
      ]);
      expect(whole.series.reduce((sum, entry) => sum + entry.requests, 0)).to.equal(2);
      expect(whole.series.find((entry) => entry.start === new Date(hourStart).toISOString())?.requests).to.equal(1);
      // The old hour cut by the range: from the records.
      const cut = await summary(`since=${iso(Date.parse(old.at) - 10 * 60_000)}&bucket=minute`);
      expect(cut.totals.requests).to.equal(2);
      expect(cut.series.reduce((sum, entry) => sum + entry.requests, 0)).to.equal(2);
      const none = await summary(`since=${iso(Date.parse(old.at) + 60_000)}&until=${iso(hourStart + HOUR)}`);
      expect(none.totals.requests).to.equal(0);
    });

    it('lists the top keys, accounts and models by cost, and what the others add up to', async () => {
      const dayStart = Math.floor(Date.now() / DAY) * DAY - 2 * DAY;
      // 30 keys over 25 accounts and 3 models: key i costs (i + 1) x 100 on a whole day.
      const history = Array.from({ length: 30 }, (_, i) =>
        record(dayStart + 6 * HOUR, {
          keyId: `k-${String(i).padStart(2, '0')}`,
          accountId: `a-${String(i % 25).padStart(2, '0')}`,
          model: `m-${i % 3}`,
          costMicros: (i + 1) * 100,
        }),
      );
      await aggregate(history);
      // Within the current (partial) hour, counted from the records only: it makes k-00 the largest.
      const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
      await h.tg.gateway.store.usage.append([
        record(hourStart + (Date.now() - hourStart) / 2, { keyId: 'k-00', accountId: 'a-00', model: 'm-0', costMicros: 100_000 }),
      ]);
      interface Group extends Totals {
        id: string;
        costMicros: number;
      }
      type Ranked = Summary & {
        totals: Totals & { costMicros: number };
        others: Record<'byKey' | 'byAccount' | 'byModel', Totals & { count: number; costMicros: number }>;
      };
      const ranked = await summary(`since=${iso(Date.now() - 7 * DAY)}&top=5`);
      const top = ranked as Ranked;
      expect(top.totals.requests).to.equal(31);
      expect(top.byKey.map((group) => group.id)).to.deep.equal(['k-00', 'k-29', 'k-28', 'k-27', 'k-26']);
      expect(top.byKey[0]).to.deep.include({ requests: 2, costMicros: 100_100 });
      expect(top.byAccount.map((group) => group.id)).to.deep.equal(['a-00', 'a-04', 'a-03', 'a-02', 'a-01']);
      expect(top.byModel.map((group) => group.id)).to.deep.equal(['m-0', 'm-2', 'm-1']);
      expect(top.others.byKey.count).to.equal(25);
      expect(top.others.byAccount.count).to.equal(20);
      expect(top.others.byModel.count).to.equal(0);
      for (const list of ['byKey', 'byAccount', 'byModel'] as const) {
        const groups = top[list] as Group[];
        for (const field of ['requests', 'inputTokens', 'costMicros'] as const)
          expect(groups.reduce((sum, group) => sum + group[field], 0) + top.others[list][field], `${list} ${field}`).to.equal(
            top.totals[field],
          );
      }
      const every = (await summary(`since=${iso(Date.now() - 7 * DAY)}&top=all`)) as Ranked;
      expect(every.byKey).to.have.length(30);
      expect(every.others.byKey).to.deep.include({ count: 0, requests: 0, costMicros: 0 });
      expect((await summary(`since=${iso(Date.now() - 7 * DAY)}`)).byKey).to.have.length(20);
      // The CSV lists every key unless `top` says otherwise.
      const csv = await h.call('GET', `api/usage/summary?since=${iso(Date.now() - 7 * DAY)}`, {
        token,
        headers: { accept: 'text/csv' },
      });
      expect(
        csv
          .text()
          .split('\n')
          .filter((line) => line.startsWith('key,')),
      ).to.have.length(30);
      const short = await h.call('GET', `api/usage/summary?since=${iso(Date.now() - 7 * DAY)}&top=3`, {
        token,
        headers: { accept: 'text/csv' },
      });
      expect(short.text()).to.match(/^key,\(others\),27 more,27,/m);
      expect((await h.call('GET', 'api/usage/summary?top=0', { token })).status).to.equal(400);
    });

    it('splits ranges along the time zone’s own days and hours (DST, half-hour offsets)', () => {
      const paris = new TimeBuckets('Europe/Paris');
      // 2026-03-29 has 23 hours in Paris.
      const [day] = periodRuns(paris, 'day', Date.parse('2026-03-29T12:00:00Z'), Date.parse('2026-03-29T12:00:01Z'));
      expect(day).to.deep.include({ label: 'd:2026-03-29' });
      expect((day!.end - day!.start) / HOUR).to.equal(23);
      expect(periodRuns(paris, 'hour', day!.start, day!.end)).to.have.length(23);
      const kolkata = new TimeBuckets('Asia/Kolkata');
      const since = Date.parse('2026-11-20T10:10:00Z');
      const until = Date.parse('2026-11-22T10:10:00Z');
      const plan = planPeriods(kolkata, since, until, 0);
      expect(plan.labels).to.include('d:2026-11-21');
      // Kolkata hours start at :30 UTC: the edges left to the records are 20 minutes long.
      expect(plan.gaps).to.deep.equal([
        [since, Date.parse('2026-11-20T10:30:00Z')],
        [Date.parse('2026-11-22T09:30:00Z'), until],
      ]);
    });
  });
}
