/**
 * The relay pipeline, one path for every provider: key lease -> scheduler -> account
 * lease -> upstream attempt (failing over while nothing reached the client) -> stream
 * to the client with usage tapped -> usage recorded -> leases released, always.
 */
import type { Context } from 'koa';
import { GatewayError, type KeyView, type SchedulingRequest, type UpstreamError } from '@switchyard/plugin-api';
import { acquireLease, UNLIMITED } from '../scheduler/lease.js';
import type { PlannedCandidate, SchedulePlan } from '../scheduler/scheduler.js';
import type { KeyRecord } from '../store/types.js';
import { deliverResponse, deliverUpstreamError, recordUsage } from './deliver-response.js';
import { attemptUpstream, type AttemptResult } from './upstream-attempt.js';
import type { RelayDeps } from './relay-deps.js';
import type { RequestState } from './request-state.js';
import type { KeyAdmission } from '../limits/key-admission.js';

/** The relay's services: the core's, plus key admission (concurrency queue and metered budgets). */
export type RelayServiceDeps = RelayDeps & { admission: KeyAdmission };

/** The key as plugins see it. */
export function keyView(key: KeyRecord): KeyView {
  return { id: key.id, name: key.name, tags: key.tags, ...(key.owner ? { owner: key.owner } : {}) };
}

/**
 * Retry-After when accounts admit the model but none can serve now and none says when it
 * is back (paused by an operator, or at its concurrency limit).
 */
export const UNAVAILABLE_RETRY_AFTER_MS = 30_000;

/** The most patterns a "model not found" message lists. */
const LISTED_PATTERNS = 40;

/**
 * The gateway's answer when the plan has no candidate. `keyAllows` is the key's own model
 * allow-list, named in a 404 so the holder sees both halves of what they may use.
 */
function noAccountError(
  plan: SchedulePlan,
  protocol: string,
  model: string | undefined,
  keyAllows?: readonly string[],
): GatewayError {
  if (model !== undefined && plan.modelNotServed) {
    const served = plan.modelNotServed.servedPatterns;
    const listed = served.length > LISTED_PATTERNS ? [...served.slice(0, LISTED_PATTERNS), '…'] : served;
    const rules = keyAllows?.length ? ` (and the key's own model rules allow only ${keyAllows.join(', ')})` : '';
    const which =
      served.length > 0
        ? `Models this key can use: ${listed.join(', ')}${rules}.`
        : `No account this key can use serves protocol ${protocol}.`;
    return new GatewayError(
      'model_not_found',
      `The model ${JSON.stringify(model)} is not served by any account this key can use. ${which}`,
      {
        details: { model, models: served },
      },
    );
  }
  const what = model ? `model ${model}` : `protocol ${protocol}`;
  const retryAfterMs = plan.retryAfterMs ?? UNAVAILABLE_RETRY_AFTER_MS;
  if (plan.message) return new GatewayError('no_account_available', plan.message, { retryAfterMs });
  if (plan.retryAfterMs !== undefined) {
    return new GatewayError('no_account_available', `Every account that can serve ${what} is cooling down; retry later.`, {
      retryAfterMs,
    });
  }
  return new GatewayError(
    'no_account_available',
    `No account that serves ${what} is available now (paused or busy); retry later.`,
    { retryAfterMs },
  );
}

export class RelayService {
  constructor(private readonly deps: RelayServiceDeps) {}

  /** Relays the request in `ctx`; the route, key and parsed request are in `state`. */
  async relay(ctx: Context, state: RequestState): Promise<void> {
    const { deps } = this;
    const key = state.key!;
    const abort = new AbortController();
    const onClose = () => {
      if (!ctx.res.writableFinished) abort.abort(new Error('client disconnected'));
    };
    ctx.res.once('close', onClose);
    const leases: { release(): Promise<void> }[] = [];
    const releaseAll = async () => {
      ctx.res.off('close', onClose);
      await Promise.all(leases.map((lease) => lease.release()));
    };
    let handedOff = false;
    try {
      const admission = await deps.admission.admit(key, state.requestId, state.facts?.model, abort.signal, state.log);
      if (!admission) return;
      leases.push(admission);
      const { limits } = admission;
      // Read by the usage record (queueWaitMs).
      (state as RequestState & { queueWaitMs?: number }).queueWaitMs = admission.queueWaitMs;
      const scheduling: SchedulingRequest = {
        protocol: state.protocol.definition.id,
        operation: state.route.definition.operation ?? state.route.definition.path,
        facts: state.facts!,
        key: keyView(key),
        request: state.inbound!,
      };
      const plan = await deps.scheduler.plan(scheduling, limits.binding);
      if (plan.candidates.length === 0) throw noAccountError(plan, scheduling.protocol, state.facts?.model, limits.models?.allow);

      const outcome = await this.tryCandidates(state, plan, scheduling, abort.signal, leases);
      if (outcome.kind === 'answered') {
        const { candidate, result } = outcome;
        void deps.scheduler
          .bind(plan.stickyKey, candidate.account.id, plan.stickyBinding)
          .catch((error: unknown) => state.log.warn('sticky binding failed', { error }));
        const delivery = deliverResponse(ctx, deps, state, candidate, result, abort.signal).finally(releaseAll);
        handedOff = true;
        deps.inFlight.hold(delivery);
        return;
      }
      if (outcome.kind === 'aborted') {
        state.log.info('client left before upstream answered');
        return;
      }
      const { last, busy } = outcome;
      if (last?.answer) {
        deliverUpstreamError(ctx, state, last.answer, last.translator);
        recordUsage(deps, state, { candidate: last.candidate, status: last.answer.status, usage: null });
        return;
      }
      if (last) throw this.gatewayErrorFor(last.error);
      throw busy
        ? new GatewayError(
            'no_account_available',
            'Every account able to serve this request is at its concurrency limit; retry shortly.',
            { retryAfterMs: 1000 },
          )
        : noAccountError(plan, scheduling.protocol, state.facts?.model, limits.models?.allow);
    } finally {
      if (!handedOff) await releaseAll();
    }
  }

  private async tryCandidates(
    state: RequestState,
    plan: SchedulePlan,
    scheduling: SchedulingRequest,
    signal: AbortSignal,
    leases: { release(): Promise<void> }[],
  ): Promise<
    | { kind: 'answered'; candidate: PlannedCandidate; result: Extract<AttemptResult, { kind: 'answered' }> }
    | { kind: 'aborted' }
    | { kind: 'exhausted'; last?: Extract<AttemptResult, { kind: 'failed' }> & { candidate: PlannedCandidate }; busy: boolean }
  > {
    const { deps } = this;
    const maxAttempts = await deps.scheduler.settings.maxAttempts();
    let attempts = 0;
    let busy = false;
    let last: (Extract<AttemptResult, { kind: 'failed' }> & { candidate: PlannedCandidate }) | undefined;
    for (const candidate of plan.candidates) {
      if (attempts >= maxAttempts) break;
      if (signal.aborted) return { kind: 'aborted' };
      const pace = await deps.scheduler.pacing.enter(candidate.account.id, state.requestId, state.facts!, signal, state.log);
      if (pace === 'aborted') return { kind: 'aborted' };
      if (pace === 'busy') {
        busy = true;
        continue;
      }
      const limit = candidate.record.maxConcurrency ?? candidate.accountType.definition.defaultMaxConcurrency ?? UNLIMITED;
      const lease = await acquireLease(
        deps.store.leases,
        `account:${candidate.account.id}`,
        state.requestId,
        limit,
        deps.config.scheduling.leaseTtlMs,
        state.log,
      );
      if (!lease) {
        pace?.cancel();
        busy = true;
        continue;
      }
      attempts += 1;
      void deps.scheduler.markUsed(candidate.account.id).catch(() => undefined);
      let result: AttemptResult;
      try {
        result = await attemptUpstream(deps, state, candidate, scheduling, signal);
      } catch (error) {
        pace?.done();
        await lease.release();
        throw error;
      }
      pace?.done();
      if (result.kind === 'answered') {
        leases.push(lease);
        return { kind: 'answered', candidate, result };
      }
      await lease.release();
      if (result.kind === 'aborted') return { kind: 'aborted' };
      last = { ...result, candidate };
      if (!result.error.retryable) break;
    }
    return { kind: 'exhausted', ...(last ? { last } : {}), busy: busy && !last };
  }

  private gatewayErrorFor(error: UpstreamError): GatewayError {
    const retry = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
    // Adapter messages are for operators (logged with the attempt), never shown to clients.
    if (error.kind === 'bad_request')
      return new GatewayError('invalid_request', 'The upstream call for this request was refused as invalid.', retry);
    if (error.kind === 'network' && /timeout/i.test(error.message)) {
      return new GatewayError('upstream_timeout', 'The upstream provider did not answer in time.', retry);
    }
    return new GatewayError('upstream_error', `The upstream provider could not be reached (${error.kind}).`, retry);
  }
}
