/**
 * A held concurrency slot, renewed by a heartbeat while the request runs and released
 * exactly once. If the process dies, the heartbeat stops and the lease expires by itself.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { LeaseRepository } from '../store/types.js';
import { systemClock } from '../time/clock.js';

/** A slot held in a lease scope. */
export interface Lease {
  readonly scope: string;
  /** Releases the slot (idempotent; never throws). */
  release(): Promise<void>;
}

/** Limit meaning "no limit": the lease is still held so live requests can be counted. */
export const UNLIMITED = 1_000_000_000;

/**
 * Keeps a lease that was just taken (by `LeaseRepository.acquire`, an account's
 * `takeSlot` or a lease queue) alive:
 * renews it every third of `ttlMs` until released; `onRelease` runs after the release.
 * The heartbeat runs on the clock the repository's TTLs run on.
 */
export function holdLease(
  leases: LeaseRepository,
  scope: string,
  holder: string,
  ttlMs: number,
  log: Logger,
  onRelease?: () => void,
): Lease {
  let released = false;
  const heartbeat = (leases.clock ?? systemClock).setInterval(
    () => {
      leases.renew(scope, holder, ttlMs).then(
        (held) => {
          if (!held && !released) log.warn('lease expired before renewal', { scope });
        },
        (error: unknown) => log.warn('lease renewal failed', { scope, error }),
      );
    },
    Math.max(250, Math.floor(ttlMs / 3)),
  );
  return {
    scope,
    async release() {
      if (released) return;
      released = true;
      heartbeat.clear();
      try {
        await leases.release(scope, holder);
      } catch (error) {
        log.error('lease release failed; it will expire by itself', { scope, error });
      }
      onRelease?.();
    },
  };
}
