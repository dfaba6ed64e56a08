/**
 * The gateway's clock: every service that reads the time of day or schedules work by it
 * takes a {@link Clock} (the container's `clock`), so tests can move time instead of
 * sleeping (`ManualClock` in `@switchyard/core/testing`).
 *
 * What the clock governs:
 * - the times the gateway records and compares: cooldowns and last use of accounts,
 *   sticky bindings' expiry, key expiry and first use, spend periods, admin sessions,
 *   the ages of cached account controls and runtime settings, whether credentials are
 *   due, the retention cut-off, the admin's and self-service reports' periods;
 * - a request's start, first byte and end (its usage record's `at` and latency, the
 *   overhead header): with a manual clock a request takes 0 ms unless the test advances;
 * - the embedded store's TTLs, leases and sliding windows (it lives in this process);
 * - lease heartbeats, which run on the clock of the lease repository's TTLs (the
 *   embedded store's: this one; Redis: real time), and the lifecycle's interval tasks
 *   (retention sweeps, price book reloads, plugins' intervals).
 *
 * What it does not: the Redis store keeps its TTLs, leases, lease queues and sliding
 * windows on the Redis server's clock (`TIME`, `PX`), so instances agree and a lease never
 * outlives its TTL in real time; how long a request may wait (key queue timeouts, pacing
 * gaps, waiting for another instance's credential refresh, upstream and shutdown
 * timeouts) and the usage pipeline's flush timers stay on real timers, as do measurements
 * of the process itself (queue wait, upstream wait, `/health`'s uptime and store latency).
 */

/** A scheduled callback; {@link ClockTimer.clear} cancels it (idempotent). */
export interface ClockTimer {
  clear(): void;
}

/** Reads the time and schedules callbacks by it. */
export interface Clock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /** Calls `callback` once, `ms` from now. Never keeps the process alive. */
  setTimeout(callback: () => void, ms: number): ClockTimer;
  /** Calls `callback` every `ms` until cleared. Never keeps the process alive. */
  setInterval(callback: () => void, ms: number): ClockTimer;
}

/** The real clock: `Date.now()` and Node's timers (unref'd). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return { clear: () => clearTimeout(timer) };
  },
  setInterval(callback, ms) {
    const timer = setInterval(callback, ms);
    timer.unref();
    return { clear: () => clearInterval(timer) };
  },
};
