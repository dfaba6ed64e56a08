/**
 * Picks accounts for a request: every enabled account of any plugin whose type can
 * serve the route's protocol (natively or through a translator) and the model, minus
 * those cooling down or filtered out by plugins; the session's sticky account first,
 * then the strategy's order (priority, then least recently used).
 */
import { createHash } from 'node:crypto';
import type {
  AccountView,
  Candidate,
  Logger,
  SchedulingRequest,
  UpstreamError,
} from '../plugin-api/index.js';
import type { AccountRecord, Store } from '../store/types.js';
import type { PluginRegistry, RegisteredAccountType } from '../plugins/registry-types.js';
import type { GatewayConfig } from '../config/schema.js';
import { defaultStrategy } from './default-strategy.js';

/** An account chosen as a candidate, with what the relay needs to call it. */
export interface PlannedCandidate extends Candidate {
  readonly record: AccountRecord;
  readonly accountType: RegisteredAccountType;
}

/** The scheduler's answer for one request. */
export interface SchedulePlan {
  /** Best first. */
  readonly candidates: readonly PlannedCandidate[];
  /** The sticky-session binding key, when the request has a session. */
  readonly stickyKey: string | undefined;
  /** When every able account is cooling down: ms until the first one is back. */
  readonly retryAfterMs: number | undefined;
  /** Why accounts were left out (for the "no account" message and logs). */
  readonly excluded: readonly string[];
}

export interface SchedulerDeps {
  store: Store;
  registry: PluginRegistry;
  config: GatewayConfig;
  log: Logger;
  listAccounts(): Promise<AccountRecord[]>;
}

function toView(record: AccountRecord): AccountView {
  return {
    id: record.id,
    type: record.type,
    name: record.name,
    priority: record.priority,
    groups: record.groups,
    settings: record.settings,
  };
}

export class Scheduler {
  constructor(private readonly deps: SchedulerDeps) {}

  async plan(request: SchedulingRequest): Promise<SchedulePlan> {
    const { registry, store } = this.deps;
    const model = request.facts.model;
    const excluded: string[] = [];
    const able: { record: AccountRecord; accountType: RegisteredAccountType; protocol: string; view: AccountView }[] = [];
    for (const record of await this.deps.listAccounts()) {
      if (!record.enabled) continue;
      const accountType = registry.accountType(record.type);
      if (!accountType) continue;
      const protocol = registry.upstreamProtocolFor(record.type, request.protocol);
      if (!protocol) continue;
      const view = toView(record);
      if (model && accountType.definition.supportsModel && !accountType.definition.supportsModel(model, view)) {
        excluded.push(`${record.id}: does not serve model ${model}`);
        continue;
      }
      able.push({ record, accountType, protocol, view });
    }
    const states = await store.accountState.getMany(able.map((entry) => entry.record.id));
    const now = Date.now();
    let earliestBack: number | undefined;
    let candidates: PlannedCandidate[] = [];
    for (const entry of able) {
      const state = states.get(entry.record.id);
      const candidate: PlannedCandidate = {
        account: entry.view,
        protocol: entry.protocol,
        record: entry.record,
        accountType: entry.accountType,
        ...(state?.coolingDownUntil ? { coolingDownUntil: state.coolingDownUntil } : {}),
        ...(state?.lastUsedAt ? { lastUsedAt: state.lastUsedAt } : {}),
      };
      if (candidate.coolingDownUntil && candidate.coolingDownUntil > now) {
        earliestBack = Math.min(earliestBack ?? Infinity, candidate.coolingDownUntil);
        excluded.push(`${entry.record.id}: cooling down (${state?.cooldownKind ?? 'error'})`);
        continue;
      }
      const verdict = this.applyFilters(candidate, request);
      if (verdict !== true) {
        excluded.push(`${entry.record.id}: ${verdict}`);
        continue;
      }
      candidates.push(candidate);
    }
    const strategy = registry.extensions.strategy ?? defaultStrategy;
    candidates = [...strategy.order(candidates, request)] as PlannedCandidate[];
    const stickyKey = this.stickyKeyFor(request);
    if (stickyKey && candidates.length > 1) {
      const boundId = await store.sticky.get(stickyKey);
      const bound = candidates.findIndex((candidate) => candidate.account.id === boundId);
      if (bound > 0) candidates.unshift(...candidates.splice(bound, 1));
    }
    return {
      candidates,
      stickyKey,
      retryAfterMs: candidates.length === 0 && earliestBack !== undefined ? earliestBack - now : undefined,
      excluded,
    };
  }

  /** Binds the request's session to the account that served it. */
  async bind(stickyKey: string | undefined, accountId: string): Promise<void> {
    if (!stickyKey) return;
    await this.deps.store.sticky.set(stickyKey, accountId, this.deps.config.scheduling.stickyTtlMs);
  }

  /** Records that an account was picked, so concurrent requests spread (least recently used first). */
  async markUsed(accountId: string): Promise<void> {
    await this.deps.store.accountState.markUsed(accountId, Date.now());
  }

  /** Cools the account down according to the error kind, retry-after and plugin reactions. */
  async reportFailure(candidate: PlannedCandidate, error: UpstreamError, request: SchedulingRequest): Promise<number> {
    if (error.kind === 'bad_request') return 0;
    let cooldownMs = Math.max(this.deps.config.scheduling.cooldownMs[error.kind], error.retryAfterMs ?? 0);
    for (const react of this.deps.registry.extensions.errorReactions) {
      try {
        const decision = react({ account: candidate.account, error, request });
        if (decision?.cooldownMs !== undefined) cooldownMs = decision.cooldownMs;
      } catch (reactionError) {
        this.deps.log.error('account error reaction failed', { error: reactionError });
      }
    }
    if (cooldownMs > 0) {
      await this.deps.store.accountState.setCooldown(candidate.account.id, Date.now() + cooldownMs, error.kind, error.message);
    }
    return cooldownMs;
  }

  private applyFilters(candidate: Candidate, request: SchedulingRequest): true | string {
    for (const filter of this.deps.registry.extensions.filters) {
      try {
        const verdict = filter.filter(candidate, request);
        if (verdict !== true) return typeof verdict === 'string' ? verdict : `excluded by ${filter.name}`;
      } catch (error) {
        this.deps.log.error('candidate filter failed', { filter: filter.name, error });
        return `filter ${filter.name} failed`;
      }
    }
    return true;
  }

  private stickyKeyFor(request: SchedulingRequest): string | undefined {
    let session: string | undefined;
    for (const provider of this.deps.registry.extensions.affinities) {
      session = provider.key(request);
      if (session) break;
    }
    session ??= request.facts.sessionKey;
    if (!session) return undefined;
    const family = this.deps.registry.protocol(request.protocol)?.definition.family ?? request.protocol;
    return createHash('sha256').update(`${family}\n${session}`).digest('hex').slice(0, 40);
  }
}
