/**
 * The relay, one path for every provider, top to bottom: the key admits the request
 * (slot, budgets) -> the scheduler plans the accounts -> each leased, paced attempt is
 * tried until one answers (failing over while nothing reached the client) -> the answer
 * streams to the client with its usage tapped and recorded -> slots released, always,
 * including when the client disconnects (which aborts the upstream request).
 */
import type { Context } from 'koa';
import { GatewayError, type SchedulingRequest, type UsageFailedAttempt } from '@switchyard/plugin-api';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { PlannedCandidate } from '../scheduler/schedule-plan.js';
import type { KeyAdmission, Admission } from '../limits/key-admission.js';
import { keyView } from '../keys/key-view.js';
import { ModelAliasResolver } from '../keys/model-aliases.js';
import type { KeyRecord } from '../store/types.js';
import { deliverResponse, deliverUpstreamError, recordUsage } from './deliver-response.js';
import { attemptUpstream, type FailedAttempt } from './upstream-attempt.js';
import { allBusyError, noAccountError } from './no-account-error.js';
import { upstreamFailureError } from './upstream-failure-error.js';
import type { RelayDeps } from './relay-deps.js';
import { advance, type DescribedRequest } from './request-stages.js';
import { systemClock } from '../time/clock.js';

/** The relay's services: the core's, plus the scheduler and key admission. */
export type RelayServiceDeps = RelayDeps & { scheduler: Scheduler; admission: KeyAdmission };

export class RelayService {
  private readonly aliases: ModelAliasResolver;

  constructor(private readonly deps: RelayServiceDeps) {
    this.aliases = new ModelAliasResolver(deps.store, deps.clock);
  }

  /**
   * Applies the key's (or its group's) model alias: the request then asks for the served
   * model everywhere after this point (limits, scheduling, the upstream call, pricing);
   * the requested one is kept for the usage record.
   */
  private async applyModelAlias(described: DescribedRequest, key: KeyRecord): Promise<void> {
    const requested = described.facts.model;
    const served = await this.aliases.resolve(key, requested);
    if (served === undefined) return;
    const protocol = described.protocol.definition;
    let inbound: DescribedRequest['inbound'] | undefined;
    try {
      inbound = protocol.withModel?.(described.inbound, served);
    } catch (error) {
      described.log.error('withModel failed; the model alias is not applied', { protocol: protocol.id, error });
      return;
    }
    if (!inbound) {
      described.log.debug('model alias not applied: the protocol cannot rename the model', { protocol: protocol.id });
      return;
    }
    described.log.debug('model alias applied', { requested, served });
    advance(described, { inbound, facts: { ...described.facts, model: served }, requestedModel: requested });
  }

  /** Relays the described request in `ctx`: resolves once the answer is handed off (or the request refused). */
  async relay(ctx: Context, described: DescribedRequest): Promise<void> {
    const { deps } = this;
    const key = described.key;
    if (!key) throw new GatewayError('internal_error', 'A route without authentication cannot be relayed.');
    const abort = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableFinished) abort.abort(new Error('client disconnected'));
    };
    ctx.res.once('close', onClose);
    let admission: Admission | undefined;
    let handedOff = false;
    try {
      await this.applyModelAlias(described, key);
      // Planning reads the accounts' state while the key admits the request (in the same
      // round trip as its slot when the store pipelines); planned again when admitting
      // took longer than the scheduler's own caches are trusted (a wait in the key's queue).
      const planOptions = { binding: deps.admission.limitsOf(key).binding, requestId: described.requestId, log: described.log };
      const planning = deps.scheduler.plan(schedulingRequest(described, key), planOptions);
      planning.catch(() => undefined);
      // On the scheduler's clock: the age of its caches is what decides.
      const clock = deps.clock ?? systemClock;
      const admitStarted = clock.now();
      admission = await deps.admission.admit(key, described.requestId, described.facts.model, abort.signal, described.log);
      if (!admission) return;
      const request = advance(described, {
        key,
        limits: admission.limits,
        queueWaitMs: admission.queueWaitMs,
        failedAttempts: [] as UsageFailedAttempt[],
      });
      const plan =
        clock.now() - admitStarted > PLAN_REUSE_MS
          ? await deps.scheduler.plan(schedulingRequest(request, key), planOptions)
          : await planning;
      if (plan.candidates.length === 0) throw noAccountError(plan, request.limits.models?.allow);

      const slots = deps.scheduler.attempts(plan, abort.signal);
      let failed: (FailedAttempt & { candidate: PlannedCandidate }) | undefined;
      let aborted = false;
      for await (const slot of slots) {
        const result = await attemptUpstream(deps, request, slot, abort.signal);
        if (result.kind === 'aborted') {
          aborted = true;
          break;
        }
        if (result.kind === 'answered') {
          const accountLease = slot.served();
          const held = admission;
          const release = () => {
            ctx.res.off('close', onClose);
            return Promise.all([accountLease.release(), held.release()]);
          };
          deps.inFlight.hold(deliverResponse(ctx, deps, request, slot.candidate, result, abort.signal).finally(release));
          handedOff = true;
          return;
        }
        await slot.failed(result.error);
        request.failedAttempts.push({
          accountId: slot.candidate.account.id,
          kind: result.error.kind,
          ...(result.answer ? { status: result.answer.status } : {}),
        });
        failed = { ...result, candidate: slot.candidate };
      }
      if (aborted || slots.aborted) {
        request.log.info('client left before upstream answered');
        return;
      }
      if (failed?.answer) {
        deliverUpstreamError(ctx, request, failed.answer, failed.translator);
        recordUsage(deps, request, { candidate: failed.candidate, status: failed.answer.status, usage: null });
        return;
      }
      if (failed) throw upstreamFailureError(failed.error);
      throw slots.busy ? allBusyError() : noAccountError(plan, request.limits.models?.allow);
    } finally {
      if (!handedOff) {
        ctx.res.off('close', onClose);
        await admission?.release();
      }
    }
  }
}

/**
 * Longest admission (queue wait and reservation) after which the plan made while it ran
 * is made again, ms: the scheduler trusts its cached controls and cooldowns this long.
 */
const PLAN_REUSE_MS = 200;

/** The request as the scheduler and plugin filters see it. */
function schedulingRequest(request: DescribedRequest, key: KeyRecord): SchedulingRequest {
  return {
    protocol: request.protocol.definition.id,
    operation: request.route.definition.operation ?? request.route.definition.path,
    facts: request.facts,
    key: keyView(key),
    request: request.inbound,
  };
}
