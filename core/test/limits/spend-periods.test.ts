import { expect } from 'chai';
import { dayPeriod, weekPeriod } from '../../src/limits/spend-periods.js';
import { parseDuration } from '../../src/limits/duration.js';
import { matchesModel } from '../../src/limits/match-model.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('spend periods, durations and model patterns', () => {
  it('cuts days at UTC midnight, or shifted by an offset', () => {
    const day = dayPeriod(at('2026-11-26T23:30:00Z'));
    expect([iso(day.startMs), iso(day.resetMs)]).to.deep.equal(['2026-11-26T00:00:00.000Z', '2026-11-27T00:00:00.000Z']);
    const east = dayPeriod(at('2026-11-26T23:30:00Z'), 480); // UTC+8: already the 27th
    expect([iso(east.startMs), east.id]).to.deep.equal(['2026-11-26T16:00:00.000Z', 'd:2026-11-27']);
  });

  it('starts weeks on the configured day and hour', () => {
    // 2026-11-26 is a Thursday.
    expect(iso(weekPeriod(at('2026-11-26T12:00:00Z'), undefined).startMs)).to.equal('2026-11-23T00:00:00.000Z');
    expect(iso(weekPeriod(at('2026-11-26T12:00:00Z'), { day: 4, hour: 13 }).startMs)).to.equal('2026-11-19T13:00:00.000Z');
    expect(iso(weekPeriod(at('2026-11-26T14:00:00Z'), { day: 4, hour: 13 }).startMs)).to.equal('2026-11-26T13:00:00.000Z');
    expect(iso(weekPeriod(at('2026-11-26T12:00:00Z'), { day: 7 }).resetMs)).to.equal('2026-11-29T00:00:00.000Z');
  });

  it('reads durations and matches model patterns', () => {
    expect(parseDuration('5h')).to.equal(18_000_000);
    expect(parseDuration('90s')).to.equal(90_000);
    expect(parseDuration('2w')).to.equal(1_209_600_000);
    expect(parseDuration('5 hours')).to.equal(undefined);
    expect(matchesModel('big-opus-4-1', ['big-opus-*'])).to.equal(true);
    expect(matchesModel('big-sonnet-4', ['big-opus-*'])).to.equal(false);
    expect(matchesModel('a.b(c)', ['a.b(c)'])).to.equal(true);
    expect(matchesModel('axb(c)', ['a.b(c)'])).to.equal(false);
  });
});
