/**
 * The one timestamp convention of credentials and settings: ISO 8601 is stored, epoch
 * milliseconds are accepted on input and normalised. Plugins read a stored moment with
 * {@link timestampMs}, which also understands the epoch numbers stored before the
 * convention, so such credentials keep working until their next save rewrites them.
 */
import { z } from 'zod';

/** The latest moment a JavaScript Date can hold (epoch milliseconds). */
const MAX_DATE_MS = 8.64e15;

const ISO_8601 = z.iso.datetime({ offset: true });

/** What a validation error says (it never repeats the value given). */
const EXPECTED = 'expected ISO 8601 with a time and an offset (2027-01-01T00:00:00Z) or epoch milliseconds';

/**
 * A zod schema for a moment in credentials or settings (a token's expiry, a reset time):
 * accepts ISO 8601 with a time and an offset (`2026-12-07T12:00:00Z`, `...+02:00`) or
 * epoch milliseconds, and outputs ISO 8601 in UTC (`2026-12-07T12:00:00.000Z`).
 *
 * @example
 * credentials: z.object({ expiresAt: timestamp().describe('When the access token expires (ISO 8601; epoch milliseconds accepted)') })
 */
export function timestamp() {
  return z.union([z.string(), z.number()]).transform((value, context) => {
    const valid =
      typeof value === 'number'
        ? Number.isInteger(value) && value >= 0 && value <= MAX_DATE_MS
        : ISO_8601.safeParse(value).success;
    const ms = valid ? (typeof value === 'number' ? value : Date.parse(value)) : Number.NaN;
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
    context.issues.push({ code: 'custom', message: EXPECTED, input: value });
    return z.NEVER;
  });
}

/**
 * Epoch milliseconds of a stored moment, ISO 8601 or (stored before the convention)
 * epoch milliseconds; undefined when the value is neither.
 */
export function timestampMs(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}
