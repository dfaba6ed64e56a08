/**
 * Polling for state that settles shortly after a response (usage records, cooldowns,
 * released leases).
 */

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Give up after this long (default 2000 ms). */
  timeoutMs?: number;
  /** Pause between two checks (default 20 ms). */
  intervalMs?: number;
  /** Names what was awaited, for the timeout error. */
  what?: string;
}

/**
 * Calls `check` until it returns something other than `undefined`, `null` or `false`,
 * and resolves with that value; rejects after the timeout with the last value seen.
 *
 * @example
 * const [record] = await waitFor(async () => {
 *   const records = await tg.gateway.store.usage.list();
 *   return records.length > 0 ? records : undefined;
 * }, { what: 'a usage record' });
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 2000);
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${options.timeoutMs ?? 2000} ms waiting for ${options.what ?? 'a condition'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}
