/** The cached ISO 8601 formatter and parser give exactly what toISOString and Date.parse give. */
import { expect } from 'chai';
import { formatIsoTime, parseIsoTime } from '../../src/time/iso-time.js';

describe('usage ISO timestamps', () => {
  it('format every millisecond around second, day and year boundaries as toISOString does', () => {
    const edges = [
      Date.UTC(2026, 11, 31, 23, 59, 59),
      Date.UTC(2024, 1, 29, 0, 0, 0),
      0,
      -1500,
      Date.UTC(9999, 11, 31, 23, 59, 59),
    ];
    for (const edge of edges) {
      for (let ms = edge - 1005; ms <= edge + 1005; ms++) expect(formatIsoTime(ms)).to.equal(new Date(ms).toISOString());
    }
    // Years past 9999 use the extended form and are not cached; the next call is still right.
    const far = Date.UTC(10000, 0, 1, 0, 0, 0, 7);
    expect(formatIsoTime(far)).to.equal(new Date(far).toISOString());
    expect(formatIsoTime(far + 1)).to.equal(new Date(far + 1).toISOString());
    expect(() => formatIsoTime(Number.NaN)).to.throw(RangeError);
  });

  it('parse what it formats, and anything else, as Date.parse does', () => {
    const start = Date.UTC(2026, 10, 26, 17, 59, 58, 990);
    for (let ms = start; ms < start + 2500; ms += 3) expect(parseIsoTime(formatIsoTime(ms))).to.equal(ms);
    const others = [
      '2026-11-26T17:59:59.123Z',
      '2026-11-26T17:59:59.1234',
      '2026-11-26T17:59:59Z',
      '2026-11-26T18:59:59.123+01:00',
      '2026-11-26',
      '2026-11-26T17:59:59.12xZ',
      '2026-13-26T17:59:59.123Z',
      'not a date at all, really',
      '',
    ];
    for (const text of others) {
      const expected = Date.parse(text);
      if (Number.isNaN(expected)) expect(parseIsoTime(text), text).to.satisfy(Number.isNaN);
      else expect(parseIsoTime(text), text).to.equal(expected);
    }
  });

  it('do not reuse a cached second for another second with the same milliseconds', () => {
    expect(parseIsoTime('2026-11-26T17:00:01.500Z')).to.equal(Date.UTC(2026, 10, 26, 17, 0, 1, 500));
    expect(parseIsoTime('2026-11-26T17:00:02.500Z')).to.equal(Date.UTC(2026, 10, 26, 17, 0, 2, 500));
    expect(parseIsoTime('2026-11-26T17:00:01.501Z')).to.equal(Date.UTC(2026, 10, 26, 17, 0, 1, 501));
  });
});
