/**
 * The attempts the scheduler hands the relay for one planned request
 * (`for await (const slot of scheduler.attempts(plan, signal))`): each planned account in
 * turn, once it is the account's turn (pacing of new user turns) and one of its
 * concurrency slots is leased, up to the runtime setting's most attempts, while the client
 * is there. The relay tells each slot how it went: {@link AttemptSlot.failed} cools the
 * account down and frees its slot (no further slot after an error that is not retryable),
 * {@link AttemptSlot.served} binds the session to the account and hands over the slot's
 * lease, held until the answer is delivered. A slot left without either (the client left,
 * the gateway failed on its own) is freed without blame when the loop ends.
 */
import type { Logger, UpstreamError } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import { accountLeaseScope, type LeaseRepository } from '../store/types.js';
import type { PaceTicket } from './account-pacing.js';
import { holdLease, UNLIMITED, type Lease } from './lease.js';
import type { PlannedCandidate, SchedulePlan } from './schedule-plan.js';

/** One attempt at the request on one account, paced and leased. */
export interface AttemptSlot {
  readonly candidate: PlannedCandidate;
  /** The request's logger, naming the account. */
  readonly log: Logger;
  /**
   * The account failed the attempt: cools it down (see Scheduler.reportFailure), logs the
   * failure, frees the account's turn and slot. Resolves with the cooldown in ms.
   */
  failed(error: UpstreamError): Promise<number>;
  /**
   * The account answered: binds the request's session to it (in the background) and frees
   * its turn. Returns the lease of the account's slot, for the caller to release once the
   * answer is delivered.
   */
  served(): Lease;
}

/** What the slots need from the scheduler. */
export interface AttemptSlotsDeps {
  config: Pick<GatewayConfig, 'scheduling'>;
  leases: LeaseRepository;
  maxAttempts(): Promise<number>;
  enterPacing(accountId: string, plan: SchedulePlan, signal: AbortSignal): Promise<PaceTicket | 'busy' | 'aborted' | undefined>;
  /**
   * Takes one of the account's `limit` slots for `holder` (the lease in
   * `accountLeaseScope(accountId)` of `leases`) and marks the account used; false when full.
   */
  takeSlot(accountId: string, holder: string, limit: number, ttlMs: number): Promise<boolean>;
  reportFailure(candidate: PlannedCandidate, error: UpstreamError, plan: SchedulePlan): Promise<number>;
  bind(plan: SchedulePlan, accountId: string): Promise<void>;
  /** The account answered (notifications hear of it); returns at once. */
  served?(candidate: PlannedCandidate): void;
}

type SlotState = 'open' | 'failed' | 'served';

class Slot implements AttemptSlot {
  state: SlotState = 'open';
  retryable = true;
  readonly log: Logger;

  constructor(
    private readonly deps: AttemptSlotsDeps,
    private readonly plan: SchedulePlan,
    readonly candidate: PlannedCandidate,
    private readonly pace: PaceTicket | undefined,
    private readonly lease: Lease,
  ) {
    this.log = plan.log.child({ account: candidate.account.id });
  }

  async failed(error: UpstreamError): Promise<number> {
    if (this.state !== 'open') throw new Error('attempt slot already settled');
    this.state = 'failed';
    this.retryable = error.retryable;
    try {
      const cooldownMs = await this.deps.reportFailure(this.candidate, error, this.plan);
      this.log.warn('upstream attempt failed', { kind: error.kind, status: error.status, message: error.message, cooldownMs });
      return cooldownMs;
    } finally {
      await this.free();
    }
  }

  served(): Lease {
    if (this.state !== 'open') throw new Error('attempt slot already settled');
    this.state = 'served';
    this.pace?.done();
    const { plan, candidate } = this;
    this.deps.served?.(candidate);
    if (plan.stickyKey !== undefined) {
      void this.deps
        .bind(plan, candidate.account.id)
        .catch((error: unknown) => plan.log.warn('sticky binding failed', { error }));
    }
    return this.lease;
  }

  /** Frees the account's turn (after its minimum gap) and its slot. */
  async free(): Promise<void> {
    this.pace?.done();
    await this.lease.release();
  }
}

/** The slots of one planned request; iterate once. */
export class AttemptSlots implements AsyncIterable<AttemptSlot> {
  private skippedBusy = false;
  private failures = 0;
  private stoppedByAbort = false;

  constructor(
    private readonly deps: AttemptSlotsDeps,
    private readonly plan: SchedulePlan,
    private readonly signal: AbortSignal,
  ) {}

  /** True when an account was skipped because it was busy (its turn or its slots) and none failed. */
  get busy(): boolean {
    return this.skippedBusy && this.failures === 0;
  }

  /** True when the slots stopped because the signal aborted (the client left). */
  get aborted(): boolean {
    return this.stoppedByAbort;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<AttemptSlot, void, undefined> {
    const { deps, plan, signal } = this;
    const maxAttempts = await deps.maxAttempts();
    let attempts = 0;
    for (const candidate of plan.candidates) {
      if (attempts >= maxAttempts) return;
      if (signal.aborted) {
        this.stoppedByAbort = true;
        return;
      }
      const pace = await deps.enterPacing(candidate.account.id, plan, signal);
      if (pace === 'aborted') {
        this.stoppedByAbort = true;
        return;
      }
      if (pace === 'busy') {
        this.skippedBusy = true;
        continue;
      }
      const limit = candidate.record.maxConcurrency ?? candidate.accountType.definition.defaultMaxConcurrency ?? UNLIMITED;
      const ttlMs = deps.config.scheduling.leaseTtlMs;
      // The slot and the account's last-use mark (so concurrent requests spread) in one call.
      if (!(await deps.takeSlot(candidate.account.id, plan.requestId, limit, ttlMs))) {
        pace?.cancel();
        this.skippedBusy = true;
        continue;
      }
      const lease = holdLease(deps.leases, accountLeaseScope(candidate.account.id), plan.requestId, ttlMs, plan.log);
      attempts += 1;
      const slot = new Slot(deps, plan, candidate, pace, lease);
      try {
        yield slot;
      } finally {
        // The loop ended with the slot unsettled (client gone, the gateway's own failure).
        if (slot.state === 'open') await slot.free();
      }
      if (slot.state === 'served') return;
      if (slot.state === 'failed') {
        this.failures += 1;
        if (!slot.retryable) return;
      }
    }
  }
}
