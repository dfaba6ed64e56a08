/**
 * A clock that moves only when the test says: `advance(ms)` moves time forward and fires
 * every timer that fell due, in order.
 */
import type { Clock, ClockTimer } from '../time/clock.js';

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
  /** Repeats every this many ms (intervals). */
  every?: number;
  cleared: boolean;
}

/**
 * A {@link Clock} for tests. Starts at the real time (or `start`), so timestamps look
 * real; moves only through {@link ManualClock.advance}.
 *
 * With the Redis store, TTLs, leases and windows stay on the Redis server's clock:
 * advancing this clock does not expire them, and a lease is renewed only when an
 * advance fires its heartbeat (requests shorter than the lease TTL are unaffected).
 *
 * @example
 * const clock = new ManualClock();
 * const tg = await createTestGateway({ plugins, clock });
 * await clock.advance(61_000); // a 1-minute cooldown is over
 */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers: Scheduled[] = [];

  constructor(start: number = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    return this.schedule(callback, ms);
  }

  setInterval(callback: () => void, ms: number): ClockTimer {
    return this.schedule(callback, ms, Math.max(1, ms));
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.filter((timer) => !timer.cleared).length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due, in order, each at
   * its own time; after each one (and at the end) lets pending I/O callbacks and
   * promise jobs run, so work a timer starts can proceed.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance by a non-negative duration, not ${ms}`);
    const until = this.current + ms;
    for (;;) {
      const next = this.nextDue(until);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.every === undefined) next.cleared = true;
      else next.at += next.every;
      next.callback();
      await turn();
    }
    this.current = until;
    await turn();
  }

  private nextDue(until: number): Scheduled | undefined {
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]!.cleared) this.timers.splice(i, 1);
    let next: Scheduled | undefined;
    for (const timer of this.timers) {
      if (timer.at > until) continue;
      if (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq)) next = timer;
    }
    return next;
  }

  private schedule(callback: () => void, ms: number, every?: number): ClockTimer {
    const timer: Scheduled = {
      at: this.current + Math.max(0, ms),
      seq: this.seq++,
      callback,
      cleared: false,
      ...(every === undefined ? {} : { every }),
    };
    this.timers.push(timer);
    return {
      clear: () => {
        timer.cleared = true;
      },
    };
  }
}

/** One event-loop turn: I/O callbacks and promise jobs queued so far run. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
