/**
 * A request's share of its key's metered budgets (a part of key-admission.ts): once the
 * request holds a concurrency slot, it is counted in the key's request windows and
 * reserves its share of the token and cost budgets, so requests in flight together cannot
 * overshoot a budget by more than about one request. A finished request's reservation is
 * kept until its usage is charged (see {@link BudgetReservations.settle}).
 */
import { GatewayError, type Logger } from '@switchyard/plugin-api';
import { holdLease, UNLIMITED, type Lease } from '../scheduler/lease.js';
import type { KeyRecord, Store } from '../store/types.js';
import type { GatewayConfig } from '../config/schema.js';
import type { KeyLimits } from './key-limits-schema.js';
import { budgetRefusal, firstRefused, readBudgets, windowMeter } from './key-budgets.js';
import { parseDuration } from './duration.js';
import { spendMeter } from './spend-periods.js';
import { systemClock, type Clock } from '../time/clock.js';

/** What the reservations need. */
export interface BudgetReservationsDeps {
  store: Pick<Store, 'meters' | 'leases'>;
  config: Pick<GatewayConfig, 'scheduling'> & { usage?: { flushIntervalMs: number } };
  /** Spend periods are read at its time; default the system clock. */
  clock?: Clock;
}

/** The lease scope of a key's budget reservations. */
export function budgetScope(keyId: string): string {
  return `budget:${keyId}`;
}

/**
 * Longest a finished request's reservation waits for its usage to be charged beyond the
 * usage pipeline's flush interval (a request that ends without a usage record frees its
 * reservation after both).
 */
export const SETTLE_TIMEOUT_MS = 1000;

/** Meters requests against their key's budgets. */
export class BudgetReservations {
  /** Reservations of finished requests, released once their usage is charged. */
  private readonly unsettled = new Map<string, { lease: Lease; timer: NodeJS.Timeout }>();

  constructor(private readonly deps: BudgetReservationsDeps) {}

  /**
   * Called by the limits usage sink once a request's usage is charged: frees its
   * reservation, so the budget never counts a request neither as reserved nor as spent.
   */
  settle(requestId: string): void {
    const entry = this.unsettled.get(requestId);
    if (!entry) return;
    this.unsettled.delete(requestId);
    clearTimeout(entry.timer);
    void entry.lease.release();
  }

  /**
   * Counts the request in the key's request windows and reserves its share of the
   * token and cost budgets (a lease in `budget:<keyId>`, released with the request).
   * Throws 402/429 when nothing is left or the requests in flight may use up the rest.
   */
  async reserve(
    key: KeyRecord,
    limits: KeyLimits,
    requestId: string,
    model: string | undefined,
    log: Logger,
  ): Promise<Lease | undefined> {
    if (!limits.windows?.length && !limits.costUsd) return undefined;
    const { meters, leases } = this.deps.store;
    const now = (this.deps.clock ?? systemClock).now();
    const counted: { key: string; bucketMs: number; periodMs: number }[] = [];
    const undo = () =>
      Promise.all(counted.map((m) => meters.addToWindow(m.key, -1, m.bucketMs, m.periodMs))).catch(() => undefined);
    // The token and cost budgets and the per-request maxima are read while the request is
    // counted in its request windows: one round trip for all when the store pipelines.
    const sizedByUse =
      limits.costUsd !== undefined || (limits.windows ?? []).some((w) => w.tokens !== undefined || w.costUsd !== undefined);
    const reads = Promise.all([
      readBudgets(meters, key.id, limits, model, ['tokens', 'cost'], now),
      sizedByUse ? meters.getMax(spendMeter.maxCost(key.id)) : 0,
      sizedByUse ? meters.getMax(spendMeter.maxTokens(key.id)) : 0,
    ]);
    // Awaited below, unless a request window refuses first.
    reads.catch(() => undefined);
    try {
      for (const [index, window] of (limits.windows ?? []).entries()) {
        if (window.requests === undefined) continue;
        const periodMs = parseDuration(window.period)!;
        const meter = windowMeter(key.id, periodMs, 'requests');
        counted.push(Object.assign({}, meter, { periodMs }));
        const used = await meters.addToWindow(meter.key, 1, meter.bucketMs, periodMs);
        if (used > window.requests) {
          await undo();
          counted.length = 0;
          const [budget] = await readBudgets(meters, key.id, { windows: [window] }, model, ['requests'], now);
          throw budgetRefusal({ ...budget!, path: `windows[${index}].requests` }, now);
        }
      }
      const [budgets, maxCost, maxTokens] = await reads;
      if (budgets.length === 0) return undefined;
      const refused = firstRefused(budgets);
      if (refused) throw budgetRefusal(refused, now);
      const allowed = Math.min(
        ...budgets.map((budget) => {
          const perRequest = budget.unit === 'tokens' ? maxTokens : maxCost;
          // Until one request was charged, there is no per-request size to divide the rest by:
          // the budget (already checked not exhausted) does not limit how many run at once.
          return perRequest > 0 ? Math.ceil((budget.limit - budget.used) / perRequest) : UNLIMITED;
        }),
      );
      const ttl = this.deps.config.scheduling.leaseTtlMs;
      const scope = budgetScope(key.id);
      if (!(await leases.acquire(scope, requestId, Math.max(1, allowed), ttl))) {
        const tight = budgets.reduce((a, b) => ((a.limit - a.used) / a.limit <= (b.limit - b.used) / b.limit ? a : b));
        throw new GatewayError(
          'rate_limited',
          `This key is close to its ${tight.label}: the requests it already has in flight may use up the rest, so this one must wait for them; retry in a moment.`,
          { retryAfterMs: 2000, details: { limit: tight.path, max: tight.limit, used: tight.used, inFlight: true } },
        );
      }
      const lease = holdLease(leases, scope, requestId, ttl, log);
      // Released with the request, the reservation lasts until its usage is charged.
      return {
        scope,
        release: async () => {
          if (this.unsettled.has(requestId)) return;
          const timer = setTimeout(
            () => this.settle(requestId),
            (this.deps.config.usage?.flushIntervalMs ?? 0) + SETTLE_TIMEOUT_MS,
          );
          timer.unref();
          this.unsettled.set(requestId, { lease, timer });
        },
      };
    } catch (error) {
      await undo();
      throw error;
    }
  }
}
