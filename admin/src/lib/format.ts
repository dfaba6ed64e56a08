/**
 * Number, money and date formatting for every admin page, in the chosen language
 * (`locale` of messages/locale.svelte.ts; reading it here makes the callers reactive).
 * Money is always {@link formatMicros}: one formatter, so a cost reads the same everywhere.
 */
import { locale } from './messages/locale.svelte';

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(kind: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale.current}|${kind}`;
  let format = cache.get(id);
  if (!format) cache.set(id, (format = new Intl.NumberFormat(locale.current, options)));
  return format;
}

/** 12,345 */
export function formatInt(value: number): string {
  return numberFormat('int', { maximumFractionDigits: 0 }).format(value);
}

/** 12.3K (12.3万 in Chinese) */
export function formatCompact(value: number): string {
  return numberFormat('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A share: 0.42 -> 42% */
export function formatPercent(ratio: number): string {
  return numberFormat('percent', { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/**
 * Micro-dollars (costs are integer millionths of a US dollar) as US dollars, exact:
 * at least two decimals and as many more as the amount has, up to six
 * (`1234567` -> `$1.234567`, `1500000` -> `$1.50`, `800` -> `$0.0008`).
 */
export function formatMicros(micros: number): string {
  return numberFormat('usd', {
    style: 'currency',
    currency: 'USD',
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(Math.round(micros) / 1e6);
}

/** US dollars (limits are set in dollars) the way {@link formatMicros} writes them. */
export function formatUsd(usd: number): string {
  return formatMicros(usd * 1e6);
}

/** A local date and time, short. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(locale.current, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A local date, short (a day of a daily series). */
export function formatDay(iso: string): string {
  return new Date(iso).toLocaleDateString(locale.current, { month: 'short', day: 'numeric' });
}

/** A duration in milliseconds: `850 ms`, `12.4 s`. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  if (ms < 1000) return `${formatInt(ms)} ms`;
  return `${numberFormat('seconds', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

const DURATION_UNITS = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' } as const;

/**
 * A limit's duration text (`5h`, `1d`, `30m`: a whole number and one of s, m, h, d, w) in
 * words: `5 hours`, `5小时`; any other text as it is.
 */
export function formatDuration(text: string): string {
  const match = /^([1-9][0-9]*)(s|m|h|d|w)$/.exec(text);
  if (!match) return text;
  const unit = DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS];
  return numberFormat(`duration-${unit}`, { style: 'unit', unit, unitDisplay: 'long' }).format(Number(match[1]));
}

/** "in 5 min" / "3 min ago". */
export function relative(iso: string | undefined): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale.current, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/** A series bucket start as a short label. */
export function bucketLabel(iso: string, bucket: string): string {
  const date = new Date(iso);
  if (bucket === 'day') return formatDay(iso);
  return date.toLocaleTimeString(locale.current, { hour: '2-digit', minute: '2-digit' });
}
