/**
 * The scheduled account checks: every tick, the instance that holds the runner lease
 * (`checks:runner` in the shared lease store, so one instance at a time across a Redis
 * deployment; the only one with the embedded store) checks the enabled accounts whose
 * type has a probe and whose interval has passed since their latest check. The lease is
 * kept by re-taking it every tick and before every batch, so the same instance stays the
 * runner; when it stops (or dies) another takes over within the lease's TTL. Because
 * "due" is read from the shared history, a new runner carries on the schedule.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { AccountService } from '../accounts/account-service.js';
import { PROBE_TIMEOUT_MS } from '../accounts/probe-account.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { Store } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import type { AccountChecks } from './account-checks.js';
import { isCheckDue } from './check-policy.js';

/** The lease scope of the check runner. */
export const CHECK_RUNNER_LEASE = 'checks:runner';

/** Accounts checked at once. */
const BATCH = 4;

/** What {@link AccountCheckRunner} needs. */
export interface AccountCheckRunnerDeps {
  checks: Pick<AccountChecks, 'policies' | 'latest' | 'run'>;
  accounts: Pick<AccountService, 'listRecords'>;
  registry: Pick<PluginRegistry, 'accountType'>;
  store: Pick<Store, 'leases'>;
  clock: Pick<Clock, 'now'>;
  log: Logger;
  /** How often {@link AccountCheckRunner.runDue} is called (the lease outlives three ticks). */
  tickMs: number;
  /** This instance's lease holder id; default a random UUID. */
  holder?: string;
}

/** What one tick did. */
export interface CheckTick {
  /** False when another instance holds the runner lease (nothing was checked here). */
  runner: boolean;
  /** Accounts checked, in order. */
  checked: string[];
}

/** Runs the due checks, on one instance at a time. */
export class AccountCheckRunner {
  readonly holder: string;
  private readonly leaseTtlMs: number;
  /** Set by {@link release}: a tick still running stops at its next step and never re-takes the lease. */
  private released = false;

  constructor(private readonly deps: AccountCheckRunnerDeps) {
    this.holder = deps.holder ?? `checks-${randomUUID()}`;
    // Outlives the gap between two renewals: three ticks, or a batch of probes that time out.
    this.leaseTtlMs = Math.max(3 * deps.tickMs, 3 * PROBE_TIMEOUT_MS);
  }

  /** One tick: takes (or keeps) the runner lease, then checks every due account. */
  async runDue(): Promise<CheckTick> {
    const { deps } = this;
    if (!(await this.holdLease())) {
      deps.log.debug('account checks tick', { runner: false, checked: 0 });
      return { runner: false, checked: [] };
    }
    const records = (await deps.accounts.listRecords()).filter(
      (record) => record.enabled && deps.registry.accountType(record.type)?.definition.probe !== undefined,
    );
    const ids = records.map((record) => record.id);
    const [policies, latest] = await Promise.all([deps.checks.policies(ids), deps.checks.latest(ids)]);
    if (this.released) return { runner: false, checked: [] };
    const now = deps.clock.now();
    const due = ids.filter((id) => isCheckDue(policies.get(id)!, latest.get(id), now));
    const checked: string[] = [];
    for (let start = 0; start < due.length; start += BATCH) {
      if (start > 0 && !(await this.holdLease())) {
        if (!this.released) deps.log.warn('account checks: another instance took over the runner lease; stopping this round');
        break;
      }
      const batch = due.slice(start, start + BATCH);
      await Promise.all(
        batch.map(async (id) => {
          try {
            const outcome = await deps.checks.run(id, 'schedule');
            if (outcome.status === 'checked') checked.push(id);
          } catch (error) {
            deps.log.error('scheduled account check failed to run', { accountId: id, error });
          }
        }),
      );
    }
    deps.log.debug('account checks tick', { runner: true, due: due.length, checked: checked.length });
    return { runner: true, checked };
  }

  /**
   * Gives the runner lease up for good (at shutdown), so another instance takes over at
   * its next tick. A tick in flight is not awaited (its probes may take their full
   * timeout): it checks nothing more, and a lease it was taking as this ran is given back.
   */
  async release(): Promise<void> {
    this.released = true;
    await this.deps.store.leases.release(CHECK_RUNNER_LEASE, this.holder);
  }

  private async holdLease(): Promise<boolean> {
    if (this.released) return false;
    const held = await this.deps.store.leases.acquire(CHECK_RUNNER_LEASE, this.holder, 1, this.leaseTtlMs);
    if (!this.released) return held;
    // release() ran while the lease was being taken: it may have found nothing to free.
    if (held) await this.deps.store.leases.release(CHECK_RUNNER_LEASE, this.holder);
    return false;
  }
}
