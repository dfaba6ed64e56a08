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
  /**
   * Names the counters, so other attempts can be throttled the same way (quota card
   * redemption: `card-redeem`, by key id instead of username); default `admin-login`.
   */
  scope?: string;
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
      counters.incr(this.userKey(username), 1, this.options.windowMs),
      counters.incr(this.ipKey(ip), 1, this.options.windowMs),
    ]);
    if (user <= this.options.maxFailuresPerUser && address <= this.options.maxFailuresPerIp) return { allowed: true };
    await Promise.all([
      counters.incr(this.userKey(username), -1, this.options.windowMs),
      counters.incr(this.ipKey(ip), -1, this.options.windowMs),
    ]);
    return { allowed: false, retryAfterMs: this.options.windowMs };
  }

  /** Records that an allowed attempt had the right password: it was no failure, and the username's failures are forgiven. */
  async succeeded(username: string, ip: string): Promise<void> {
    const { counters } = this.options.store;
    await counters.incr(this.ipKey(ip), -1, this.options.windowMs);
    const current = await counters.get(this.userKey(username));
    if (current > 0) await counters.incr(this.userKey(username), -current, this.options.windowMs);
  }

  private userKey(username: string): string {
    return `${this.options.scope ?? 'admin-login'}:user:${username.toLowerCase().slice(0, 200)}`;
  }

  private ipKey(ip: string): string {
    return `${this.options.scope ?? 'admin-login'}:ip:${ip}`;
  }
}
