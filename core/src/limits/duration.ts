/** Durations written as text in limits (`90s`, `30m`, `5h`, `1d`, `7d`). */

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** The pattern a duration text must match: a positive integer and one of `s`, `m`, `h`, `d`, `w`. */
export const DURATION_PATTERN = /^([1-9][0-9]*)(s|m|h|d|w)$/;

/**
 * Milliseconds of a duration text, or undefined when it is not one.
 *
 * @example
 * parseDuration('5h'); // 18_000_000
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION_PATTERN.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A short human form of a millisecond span, e.g. `2h 5m`, `40s`. */
export function formatSpan(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
