/**
 * Records the requests the gateway refused or failed itself (401, 402, 403, 404, 429,
 * 503, ...) in the request log: status, reason (the error code), the key when one was
 * recognised, no usage, cost 0. A request whose usage was already recorded is skipped,
 * and a flood is capped by {@link RefusalLogBudget}. Off the success path.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import { buildUsageRecord, type UsageSubject } from './build-usage-record.js';
import type { PriceBook } from './price-book.js';
import { RefusalLogBudget } from './refusal-log-budget.js';
import type { UsageRecorder } from './usage-recorder.js';
import { systemClock, type Clock } from '../time/clock.js';

/** What {@link RefusalRecorder} uses. */
export interface RefusalRecorderDeps {
  config: GatewayConfig;
  priceBook: PriceBook;
  usageRecorder: UsageRecorder;
  log: Logger;
  /** The refusals-per-minute budget and the record's latency read it; default the system clock. */
  clock?: Clock;
}

/** A refused request, at whatever stage it reached. */
export interface RefusedRequest {
  readonly log: Logger;
  /** Set once the request's usage record was queued (then a refusal is not recorded again). */
  usageRecorded: boolean;
}

/** Puts refused requests in the request log. */
export class RefusalRecorder {
  private readonly budget: RefusalLogBudget;

  constructor(private readonly deps: RefusalRecorderDeps) {
    this.budget = new RefusalLogBudget(deps.config.usage.requestLog.refusalsPerMinute, deps.log);
  }

  /** Records that the request of `state` was answered `status` with the gateway's error `reason`. */
  record(state: UsageSubject & RefusedRequest, status: number, reason: string): void {
    const { deps } = this;
    if (state.usageRecorded || !deps.usageRecorder.enabled) return;
    // Only a recognised key counts: a presented key that matched none is never recorded.
    if (!this.budget.admit(state.key?.id ?? '', (deps.clock ?? systemClock).now())) return;
    state.usageRecorded = true;
    try {
      deps.usageRecorder.record(
        buildUsageRecord({
          config: deps.config,
          priceBook: deps.priceBook,
          state,
          served: { status, usage: null, reason },
          now: (deps.clock ?? systemClock).now(),
        }),
      );
    } catch (error) {
      state.log.error('building the record of a refused request failed', { error });
    }
  }
}
