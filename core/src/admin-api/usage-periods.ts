/**
 * Splits a time range into the usage aggregates' periods (days and hours in the
 * configured time zone) that lie wholly inside it, plus the leftover edges ("gaps",
 * less than an hour each) that only the stored records can answer exactly. Works in any
 * IANA zone: offsets are whole quarter hours, so every period boundary is one.
 */
import type { TimeBuckets } from '../usage/time-buckets.js';

const QUARTER_MS = 15 * 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** One run of instants sharing a period label, with its full extent (may reach past the range asked). */
export interface PeriodRun {
  label: string;
  start: number;
  end: number;
}

/** A range as aggregate rows and record ranges. */
export interface PeriodPlan {
  /** Day and hour labels whose rows lie wholly inside the range. */
  labels: string[];
  /** [since, until) ranges to read from the records. */
  gaps: [number, number][];
}

const floorQ = (ms: number) => Math.floor(ms / QUARTER_MS) * QUARTER_MS;
const ceilQ = (ms: number) => Math.ceil(ms / QUARTER_MS) * QUARTER_MS;

/** The runs of `kind` labels covering [from, to), each with its true start and end. */
export function periodRuns(buckets: TimeBuckets, kind: 'hour' | 'day', from: number, to: number): PeriodRun[] {
  const label = (at: number) => buckets.labels(at)[kind];
  const step = kind === 'hour' ? HOUR_MS : DAY_MS;
  const out: PeriodRun[] = [];
  let start = floorQ(from);
  const first = label(start);
  while (label(start - QUARTER_MS) === first) start -= QUARTER_MS;
  while (start < to) {
    const current = label(start);
    let end: number;
    // Fast path: a run is usually exactly one hour or day; else walk quarter by quarter (DST days).
    if (label(start + step - QUARTER_MS) === current && label(start + step) !== current) end = start + step;
    else for (end = start + QUARTER_MS; label(end) === current; end += QUARTER_MS);
    out.push({ label: current, start, end });
    start = end;
  }
  return out;
}

/**
 * The plan of [since, until): whole days as day rows, whole hours of the partial days as
 * hour rows (those newer than `hourlyKeptMs` ago; older hourly rows are purged), the
 * rest as record ranges.
 */
export function planPeriods(buckets: TimeBuckets, since: number, until: number, hourlyKeptSince: number): PeriodPlan {
  const plan: PeriodPlan = { labels: [], gaps: [] };
  for (const day of periodRuns(buckets, 'day', since, until)) {
    if (day.start >= since && day.end <= until) {
      plan.labels.push(day.label);
      continue;
    }
    const from = Math.max(day.start, since);
    const to = Math.min(day.end, until);
    if (from >= to) continue;
    for (const hour of periodRuns(buckets, 'hour', from, ceilQ(to))) {
      const inside = hour.start >= from && hour.end <= to && hour.end > hourlyKeptSince;
      if (inside) plan.labels.push(hour.label);
      else if (Math.max(hour.start, from) < Math.min(hour.end, to))
        addGap(plan.gaps, Math.max(hour.start, from), Math.min(hour.end, to));
    }
  }
  return plan;
}

function addGap(gaps: [number, number][], from: number, to: number): void {
  const last = gaps[gaps.length - 1];
  if (last && last[1] === from) last[1] = to;
  else gaps.push([from, to]);
}

/** True when `at` lies in one of `gaps`. */
export function inGaps(gaps: readonly (readonly [number, number])[], at: number): boolean {
  return gaps.some(([from, to]) => at >= from && at < to);
}
