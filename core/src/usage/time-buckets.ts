/**
 * Hour, day and month labels of an instant in a configured IANA time zone (UTC by
 * default), for the usage aggregates: `h:2026-11-26T14`, `d:2026-11-26`, `m:2026-11`.
 * Real zones (DST included), not a fixed offset.
 *
 * UTC (the default) is read from `Date`'s UTC fields: the first `Intl.DateTimeFormat`
 * with a time zone maps ICU's zone and calendar data, about 6.6 MB of resident memory
 * the gateway would otherwise carry for nothing (issue 22, memory).
 */

/** The period labels of one instant. */
export interface PeriodLabels {
  hour: string;
  day: string;
  month: string;
}

/** Every time zone offset is a multiple of 15 minutes, so labels are cached per quarter hour. */
const QUARTER_MS = 15 * 60_000;
const CACHE_LIMIT = 512;

/** Computes (and caches) period labels in one time zone. */
export class TimeBuckets {
  /** Absent for UTC. */
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly cache = new Map<number, PeriodLabels>();

  /** @throws RangeError when `timeZone` is not a known IANA zone. */
  constructor(readonly timeZone: string = 'UTC') {
    this.format =
      timeZone === 'UTC'
        ? undefined
        : new Intl.DateTimeFormat('en-CA', {
            timeZone,
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            hourCycle: 'h23',
          });
  }

  /** Labels of the instant `atMs` (epoch ms). */
  labels(atMs: number): PeriodLabels {
    const quarter = Math.floor(atMs / QUARTER_MS);
    const cached = this.cache.get(quarter);
    if (cached) return cached;
    const { year, month, day, hour } = this.parts(new Date(quarter * QUARTER_MS));
    const date = `${year}-${month}-${day}`;
    const labels = { hour: `h:${date}T${hour}`, day: `d:${date}`, month: `m:${year}-${month}` };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(quarter, labels);
    return labels;
  }

  /** Year, month, day and hour of `instant` in the zone, as zero-padded text. */
  private parts(instant: Date): Record<'year' | 'month' | 'day' | 'hour', string> {
    if (this.format === undefined) {
      const pad = (value: number) => String(value).padStart(2, '0');
      return {
        year: String(instant.getUTCFullYear()).padStart(4, '0'),
        month: pad(instant.getUTCMonth() + 1),
        day: pad(instant.getUTCDate()),
        hour: pad(instant.getUTCHours()),
      };
    }
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(instant)) parts[part.type] = part.value;
    return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']! };
  }

  /** Day labels of the `count` days ending with the day of `atMs`, oldest first. */
  lastDays(atMs: number, count: number): string[] {
    const out: string[] = [];
    for (let i = count - 1; i >= 0; i--) out.push(this.labels(atMs - i * 86_400_000).day);
    // Around DST changes two instants 24 h apart can share a day: keep each once.
    return [...new Set(out)];
  }

  /** Hour labels of the `count` hours ending with the hour of `atMs`, oldest first. */
  lastHours(atMs: number, count: number): string[] {
    const out: string[] = [];
    for (let i = count - 1; i >= 0; i--) out.push(this.labels(atMs - i * 3_600_000).hour);
    return [...new Set(out)];
  }
}
