/**
 * Optional per-account pacing (`scheduling.accounts.<id>.pacing`): requests that carry
 * a new user turn go to the account one at a time, in arrival order (across instances),
 * and the next one starts at least `minGapMs` after the previous one was answered by
 * upstream, so a subscription account never sees a burst of new conversations. Tool
 * results and other follow-ups are not paced.
 */
import type { Logger, RequestFacts } from '@switchyard/plugin-api';
import type { Store } from '../store/types.js';
import type { GatewayConfig } from '../config/schema.js';
import type { AccountControl } from './account-control.js';
import { LeaseLine } from './lease-line.js';

/** A paced turn: call {@link PaceTicket.done} once upstream answered (or failed). */
export interface PaceTicket {
  /** Frees the account's turn after the minimum gap. Idempotent. */
  done(): void;
  /** Frees the turn at once (the attempt never reached upstream). Idempotent. */
  cancel(): void;
}

/** The most requests that may wait for one account's turn. */
const MAX_WAITING = 10_000;

/** Serialises new user turns per account. */
export class AccountPacing {
  private readonly line: LeaseLine;

  constructor(
    private readonly deps: { store: Pick<Store, 'leases' | 'leaseQueues'>; config: Pick<GatewayConfig, 'scheduling'> },
    private readonly control: AccountControl,
  ) {
    this.line = new LeaseLine(
      deps.store,
      () => deps.config.scheduling.leaseTtlMs,
      () => deps.config.scheduling.queuePollMs,
    );
  }

  /**
   * Waits for the account's turn when the account is paced and the request carries a
   * new user turn. `undefined`: not paced. `busy`: no turn within the pacing timeout.
   */
  async enter(
    accountId: string,
    holder: string,
    facts: RequestFacts,
    signal: AbortSignal,
    log: Logger,
  ): Promise<PaceTicket | 'busy' | 'aborted' | undefined> {
    if (facts.userTurn !== true) return undefined;
    const pacing = (await this.control.get(accountId)).pacing;
    if (!pacing) return undefined;
    const outcome = await this.line.acquire({
      scope: `pace:${accountId}`,
      holder,
      limit: 1,
      maxWaiting: MAX_WAITING,
      timeoutMs: pacing.timeoutMs,
      signal,
      log,
    });
    if (outcome.kind === 'aborted') return 'aborted';
    if (outcome.kind !== 'acquired') return 'busy';
    const { lease } = outcome;
    let finished = false;
    return {
      done() {
        if (finished) return;
        finished = true;
        setTimeout(() => void lease.release(), pacing.minGapMs).unref();
      },
      cancel() {
        if (finished) return;
        finished = true;
        void lease.release();
      },
    };
  }
}
