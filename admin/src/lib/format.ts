/**
 * Number, money and date formatting for the admin pages.
 */

const integer = new Intl.NumberFormat('en-US');
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** 12,345 */
export function formatInt(value: number): string {
  return integer.format(value);
}

/** 12.3K */
export function formatCompact(value: number): string {
  return compact.format(value);
}

/** Micro-dollars as `$1.2345`. */
export function formatMicros(micros: number): string {
  const usd = micros / 1e6;
  if (usd !== 0 && Math.abs(usd) < 0.01) return `$${usd.toPrecision(2)}`;
  return `$${usd.toFixed(2)}`;
}

/** A local date and time, short. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** "in 5 min" / "3 min ago". */
export function relative(iso: string | undefined): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - Date.now()) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  if (abs < 3600) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86400), 'day');
}

/** A series bucket start as a short label. */
export function bucketLabel(iso: string, bucket: string): string {
  const date = new Date(iso);
  if (bucket === 'day') return date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
  return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
