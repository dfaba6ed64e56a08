/** Period labels in a configurable IANA time zone (UTC default), DST included. */
import { expect } from 'chai';
import { TimeBuckets } from '../../src/usage/time-buckets.js';
import { aggregateDeltas } from '../../src/usage/aggregate-deltas.js';
import { emptyUsage, type UsageRecord } from '@switchyard/plugin-api';

describe('time buckets', () => {
  it('labels hours, days and months in UTC by default', () => {
    expect(new TimeBuckets().labels(Date.parse('2026-11-26T23:59:59Z'))).to.deep.equal({
      hour: 'h:2026-11-26T23',
      day: 'd:2026-11-26',
      month: 'm:2026-11',
    });
  });

  it('labels UTC without Intl exactly as Intl labels it, every hour across a year boundary and a leap day', () => {
    const utc = new TimeBuckets();
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    const spans = [Date.parse('2027-12-30T00:00:00Z'), Date.parse('2028-02-28T00:00:00Z')];
    for (const start of spans) {
      for (let at = start; at < start + 3 * 86_400_000; at += 60 * 60_000) {
        const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
        const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
        expect(utc.labels(at)).to.deep.equal({
          hour: `h:${date}T${parts['hour']}`,
          day: `d:${date}`,
          month: `m:${parts['year']}-${parts['month']}`,
        });
      }
    }
  });

  it('uses real zones: a UTC evening is the next day in Tokyo, and half-hour offsets work', () => {
    expect(new TimeBuckets('Asia/Tokyo').labels(Date.parse('2026-11-30T16:30:00Z'))).to.deep.equal({
      hour: 'h:2026-12-01T01',
      day: 'd:2026-12-01',
      month: 'm:2026-12',
    });
    expect(new TimeBuckets('Asia/Kolkata').labels(Date.parse('2026-11-26T18:29:00Z')).hour).to.equal('h:2026-11-26T23');
    expect(new TimeBuckets('Asia/Kolkata').labels(Date.parse('2026-11-26T18:30:00Z')).day).to.equal('d:2026-11-27');
  });

  it('follows daylight saving time (Europe/Paris, last Sunday of March)', () => {
    const paris = new TimeBuckets('Europe/Paris');
    expect(paris.labels(Date.parse('2026-03-29T00:30:00Z')).hour).to.equal('h:2026-03-29T01');
    expect(paris.labels(Date.parse('2026-03-29T01:30:00Z')).hour).to.equal('h:2026-03-29T03');
    expect(paris.lastDays(Date.parse('2026-03-30T12:00:00Z'), 3)).to.deep.equal(['d:2026-03-28', 'd:2026-03-29', 'd:2026-03-30']);
  });

  it('turns records into merged deltas per scope and period, with expiries; lifetime rows never expire', () => {
    const base = { keyId: 'k1', protocol: 'p', status: 200, stream: false, latencyMs: 1, costMicros: 5, ratedCostMicros: 10 };
    const records: UsageRecord[] = [
      {
        ...base,
        id: 'a',
        at: '2026-11-26T10:00:00.000Z',
        model: 'm',
        accountId: 'acc',
        usage: { ...emptyUsage(), inputTokens: 3 },
      },
      {
        ...base,
        id: 'b',
        at: '2026-11-26T10:30:00.000Z',
        model: 'm',
        accountId: 'acc',
        status: 429,
        usage: { ...emptyUsage(), inputTokens: 4 },
      },
    ];
    const deltas = aggregateDeltas(records, new TimeBuckets(), { hourlyDays: 1, dailyDays: 2, monthlyDays: 3 });
    // 5 scopes (all, model, key, key-model, account) x 4 periods, merged over both records
    expect(deltas).to.have.length(20);
    const hour = deltas.find((d) => d.scope === 'key:k1' && d.period === 'h:2026-11-26T10')!;
    expect(hour.totals).to.include({ requests: 2, errors: 1, inputTokens: 7, costMicros: 10, ratedCostMicros: 20 });
    expect(hour.expiresAtMs).to.equal(Date.parse('2026-11-26T10:30:00Z') + 86_400_000);
    expect(deltas.find((d) => d.scope === 'all' && d.period === 'all')).not.to.have.property('expiresAtMs');
  });

  it('counts an answer the upstream cut short (200, incomplete) as an error', () => {
    const cut: UsageRecord = {
      id: 'c',
      at: '2026-11-26T10:00:00.000Z',
      keyId: 'k1',
      protocol: 'p',
      status: 200,
      incomplete: true,
      stream: true,
      latencyMs: 1,
      costMicros: 0,
      usage: emptyUsage(),
    };
    const deltas = aggregateDeltas([cut], new TimeBuckets(), { hourlyDays: 1, dailyDays: 2, monthlyDays: 3 });
    expect(deltas.find((d) => d.scope === 'all' && d.period === 'all')!.totals).to.include({ requests: 1, errors: 1 });
  });
});
