/**
 * Admits requests under their key's limits, in four steps:
 *
 * - check (before plugin key policies, no slot needed): expiry (fixed, then
 *   activation-based), permission by protocol family, model rules, client restriction
 *   (403); spending caps (402); rate windows (429);
 * - queue: one of the key's concurrency slots, waiting in the key's fair line when it is
 *   full (key-queue.ts);
 * - admit: the request counted in the key's request windows and its share of the token and
 *   cost budgets reserved (budget-reservations.ts);
 * - settle: once its usage is charged, the reservation of a finished request is freed.
 */
import { GatewayError, type ClientDetector, type Logger } from '@switchyard/plugin-api';
import type { KeyRecord, Store } from '../store/types.js';
import type { GatewayConfig } from '../config/schema.js';
import type { KeyLimits } from './key-limits-schema.js';
import { parseKeyLimits } from './parse-key-limits.js';
import { checkKeyAccess, type AccessRequest } from './check-key-access.js';
import { budgetRefusal, firstRefused, readBudgets } from './key-budgets.js';
import { parseDuration } from './duration.js';
import { spendMeter } from './spend-periods.js';
import { KeyQueue } from './key-queue.js';
import { BudgetReservations } from './budget-reservations.js';
import { systemClock, type Clock } from '../time/clock.js';

/** What key admission needs. */
export interface KeyAdmissionDeps {
  store: Pick<Store, 'meters' | 'leases' | 'leaseQueues'>;
  config: Pick<GatewayConfig, 'scheduling'> & { usage?: { flushIntervalMs: number } };
  registry: { readonly extensions: { readonly clientDetectors: readonly ClientDetector[] } };
  /** The operator's default queue for keys without one (runtime settings); none when absent. */
  defaultQueue?(concurrency: number): Promise<{ size: number; timeoutMs: number } | undefined>;
  /** Expiry, first use and spend periods read it; default the system clock. */
  clock?: Clock;
}

/** A request admitted under its key's limits, until {@link Admission.release}. */
export interface Admission {
  /** The key's typed limits (its binding, its model rules). */
  readonly limits: KeyLimits;
  /** How long the request waited in the key's queue, in ms. */
  readonly queueWaitMs: number;
  /**
   * Frees the key's concurrency slot at once and the budget reservation once the request's
   * usage is charged. Idempotent; never throws.
   */
  release(): Promise<void>;
}

/** The key limits around the relay: check, queue, admit, settle. */
export class KeyAdmission {
  private readonly queue: KeyQueue;
  private readonly reservations: BudgetReservations;

  constructor(private readonly deps: KeyAdmissionDeps) {
    this.queue = new KeyQueue(deps);
    this.reservations = new BudgetReservations(deps);
  }

  /** The key's typed limits (see {@link parseKeyLimits}). */
  limitsOf(key: KeyRecord): KeyLimits {
    return parseKeyLimits(key);
  }

  /** Every check that needs no slot: throws the first refusal. */
  async check(key: KeyRecord, access: AccessRequest): Promise<void> {
    const limits = this.limitsOf(key);
    const now = (this.deps.clock ?? systemClock).now();
    checkKeyAccess(limits, access, now, this.deps.registry.extensions.clientDetectors);
    if (limits.expiresAfterFirstUse) {
      const firstUse = await this.deps.store.meters.markOnce(spendMeter.firstUse(key.id), now);
      const expiresAt = firstUse + parseDuration(limits.expiresAfterFirstUse)!;
      if (expiresAt <= now) {
        const at = new Date(expiresAt).toISOString();
        throw new GatewayError(
          'key_expired',
          `This API key expired at ${at}, ${limits.expiresAfterFirstUse} after its first use.`,
          {
            details: { limit: 'expiresAfterFirstUse', expiresAt: at },
          },
        );
      }
    }
    if (!limits.windows?.length && !limits.costUsd) return;
    const budgets = await readBudgets(this.deps.store.meters, key.id, limits, access.model, undefined, now);
    const refused = firstRefused(budgets);
    if (refused) throw budgetRefusal(refused, now);
  }

  /**
   * Queues the request for one of its key's concurrency slots, then reserves its share of
   * the key's budgets. Undefined when the client left while waiting. Throws 429
   * (`concurrency_limit`, `queue_full`, `queue_timeout`, `rate_limited`) or 402.
   */
  async admit(
    key: KeyRecord,
    requestId: string,
    model: string | undefined,
    signal: AbortSignal,
    log: Logger,
  ): Promise<Admission | undefined> {
    const limits = this.limitsOf(key);
    const waitStarted = Date.now();
    const slot = await this.queue.enter(key.id, requestId, limits, signal, log);
    if (!slot) {
      log.info('client left while waiting in the key queue');
      return undefined;
    }
    const queueWaitMs = Date.now() - waitStarted;
    let reservation;
    try {
      reservation = await this.reservations.reserve(key, limits, requestId, model, log);
    } catch (error) {
      await slot.release();
      throw error;
    }
    return {
      limits,
      queueWaitMs,
      release: reservation
        ? () => Promise.all([slot.release(), reservation.release()]).then(() => undefined)
        : () => slot.release(),
    };
  }

  /**
   * Called by the limits usage sink once a request's usage is charged: frees its budget
   * reservation, so the budget never counts a request neither as reserved nor as spent.
   */
  settle(requestId: string): void {
    this.reservations.settle(requestId);
  }
}
