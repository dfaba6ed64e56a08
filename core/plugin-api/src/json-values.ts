/**
 * Small readers for untrusted JSON values (request bodies, upstream responses, stored
 * settings): type guards that never throw and parse helpers that return `undefined`
 * instead of throwing.
 */

/**
 * True for a plain JSON object (not `null`, not an array).
 *
 * @param value - Any value, typically from `JSON.parse`.
 * @returns Whether `value` can be read as a string-keyed record.
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A non-negative finite number, else 0; the usual reading of a token count field.
 *
 * @param value - The field as found in the JSON.
 * @returns `value` when it is a finite number `>= 0`, otherwise `0`.
 */
export function tokenCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * `JSON.parse` that returns `undefined` instead of throwing.
 *
 * @param text - The JSON text.
 * @returns The parsed value, or `undefined` when `text` is not valid JSON.
 */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A non-empty string, or `undefined`.
 *
 * @param value - The field as found in the JSON.
 * @returns `value` when it is a string other than `''`, otherwise `undefined`.
 */
export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The first value of an HTTP header that may have been repeated.
 *
 * @param value - A header as Node reports it (`string`, `string[]` or absent).
 * @returns The first value, or `undefined` when the header is absent.
 */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
