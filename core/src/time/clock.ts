/**
 * The gateway's clock: every service that reads the time of day or schedules work by it
 * takes a {@link Clock} (the container's `clock`), so tests can move time instead of
 * sleeping (`ManualClock` in `@switchyard/core/testing`).
 *
 * What the clock governs: timestamps the gateway records or compares (usage records,
 * cooldowns, sticky bindings, key expiry and first use, spend periods, sessions,
 * cached settings), the embedded store's TTLs and sliding windows (it lives in this
 * process), lease heartbeats and the lifecycle's interval tasks. What it does not: the
 * Redis store keeps its TTLs, leases and sliding windows on the Redis server's clock
 * (`TIME`, `PX`), so instances agree and a lease never outlives its TTL in real time;
 * how long a request waits or may take (queue waits, pacing gaps, upstream and shutdown
 * timeouts, latency metrics) and the usage recorder's flush timers stay on real timers.
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
