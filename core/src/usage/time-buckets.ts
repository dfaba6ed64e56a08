/**
 * Hour, day and month labels of an instant in a configured IANA time zone (UTC by
 * default), for the usage aggregates: `h:2026-11-26T14`, `d:2026-11-26`, `m:2026-11`.
 * Real zones (DST included), not a fixed offset.
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
  private readonly format: Intl.DateTimeFormat;
  private readonly cache = new Map<number, PeriodLabels>();

  /** @throws RangeError when `timeZone` is not a known IANA zone. */
  constructor(readonly timeZone: string = 'UTC') {
    this.format = new Intl.DateTimeFormat('en-CA', {
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
    const parts: Record<string, string> = {};
    for (const part of this.format.formatToParts(new Date(quarter * QUARTER_MS))) parts[part.type] = part.value;
    const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
    const labels = { hour: `h:${date}T${parts['hour']}`, day: `d:${date}`, month: `m:${parts['year']}-${parts['month']}` };
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(quarter, labels);
    return labels;
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
