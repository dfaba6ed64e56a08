/**
 * Admin login throttling: attempts are counted per username and per client IP in the
 * shared counters (so every gateway instance agrees) over a fixed window. Once a limit
 * is reached, further attempts are refused without checking the password until the
 * window ends.
 *
 * Counting comes first and is the check (increment, then compare the value the store
 * returned): the store's increment is atomic on both backends, so of any number of
 * parallel attempts at most the limit see a value within it. A check that only read the
 * counters before the (slow) password check let a burst of parallel guesses all pass.
 * A refused attempt gives its increments back (it never reached the password check, and
 * must not use up a victim username's budget); a successful one gives back its per-IP
 * increment and clears the username's count.
 */
import type { Store } from '../store/types.js';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  store: Pick<Store, 'counters'>;
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

/** The verdict on a login attempt. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts admin login attempts and says when to refuse. */
export class LoginThrottle {
  constructor(private readonly options: LoginThrottleOptions) {}

  /**
   * Counts an attempt for `username` from `ip` and says whether its password may be
   * checked. An allowed attempt stays counted as a failure unless {@link succeeded}
   * follows; a refused one is not counted.
   */
  async attempt(username: string, ip: string): Promise<ThrottleVerdict> {
    const { counters } = this.options.store;
    const [user, address] = await Promise.all([
      counters.incr(userKey(username), 1, this.options.windowMs),
      counters.incr(ipKey(ip), 1, this.options.windowMs),
    ]);
    if (user <= this.options.maxFailuresPerUser && address <= this.options.maxFailuresPerIp) return { allowed: true };
    await Promise.all([
      counters.incr(userKey(username), -1, this.options.windowMs),
      counters.incr(ipKey(ip), -1, this.options.windowMs),
    ]);
    return { allowed: false, retryAfterMs: this.options.windowMs };
  }

  /** Records that an allowed attempt had the right password: it was no failure, and the username's failures are forgiven. */
  async succeeded(username: string, ip: string): Promise<void> {
    const { counters } = this.options.store;
    await counters.incr(ipKey(ip), -1, this.options.windowMs);
    const current = await counters.get(userKey(username));
    if (current > 0) await counters.incr(userKey(username), -current, this.options.windowMs);
  }
}

function userKey(username: string): string {
  return `admin-login:user:${username.toLowerCase().slice(0, 200)}`;
}

function ipKey(ip: string): string {
  return `admin-login:ip:${ip}`;
}
