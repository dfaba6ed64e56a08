/**
 * Admin login throttling: failed attempts are counted per username and per client IP
 * in the shared counters (so every gateway instance agrees) over a fixed window. Once a
 * limit is reached, further attempts are refused without checking the password until
 * the window ends. A successful login clears the username's count.
 */
import type { Store } from '../store/types.js';

/** Options of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  store: Pick<Store, 'counters'>;
  maxFailuresPerUser: number;
  maxFailuresPerIp: number;
  windowMs: number;
}

/** The verdict before a login attempt. */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Counts failed admin logins and says when to refuse. */
export class LoginThrottle {
  constructor(private readonly options: LoginThrottleOptions) {}

  /** Whether an attempt for `username` from `ip` may be checked now. */
  async check(username: string, ip: string): Promise<ThrottleVerdict> {
    const [user, address] = await Promise.all([
      this.options.store.counters.get(userKey(username)),
      this.options.store.counters.get(ipKey(ip)),
    ]);
    if (user >= this.options.maxFailuresPerUser || address >= this.options.maxFailuresPerIp) {
      return { allowed: false, retryAfterMs: this.options.windowMs };
    }
    return { allowed: true };
  }

  /** Records a failed attempt. */
  async failed(username: string, ip: string): Promise<void> {
    await Promise.all([
      this.options.store.counters.incr(userKey(username), 1, this.options.windowMs),
      this.options.store.counters.incr(ipKey(ip), 1, this.options.windowMs),
    ]);
  }

  /**
   * Whether `ip` may try another secret in `scope` (e.g. `key-usage`, where a key holder
   * presents a key): only the per-IP limit applies there.
   */
  async ipAllowed(scope: string, ip: string): Promise<ThrottleVerdict> {
    const failures = await this.options.store.counters.get(`${scope}:ip:${ip}`);
    return failures >= this.options.maxFailuresPerIp ? { allowed: false, retryAfterMs: this.options.windowMs } : { allowed: true };
  }

  /** Records a failed attempt of `ip` in `scope`. */
  async ipFailed(scope: string, ip: string): Promise<void> {
    await this.options.store.counters.incr(`${scope}:ip:${ip}`, 1, this.options.windowMs);
  }

  /** Records a successful login: the username's failures are forgiven. */
  async succeeded(username: string): Promise<void> {
    const current = await this.options.store.counters.get(userKey(username));
    if (current > 0) await this.options.store.counters.incr(userKey(username), -current, this.options.windowMs);
  }
}

function userKey(username: string): string {
  return `admin-login:user:${username.toLowerCase().slice(0, 200)}`;
}

function ipKey(ip: string): string {
  return `admin-login:ip:${ip}`;
}
