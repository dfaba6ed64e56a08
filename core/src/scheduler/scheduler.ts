/**
 * Picks accounts for a request: every enabled account of any plugin whose type can
 * serve the route's protocol (natively or through a translator) and the model, minus
 * those cooling down or filtered out by plugins; the session's sticky account first,
 * then the strategy's order (priority, then least recently used). Paused accounts are
 * left out, dedicated accounts serve only keys bound to them, and a key bound to an
 * account or group is served by it alone unless its binding allows falling back.
 */
import { hash } from 'node:crypto';
import type { AccountView, Candidate, Logger, SchedulingRequest, UpstreamError } from '@switchyard/plugin-api';
import type { AccountRecord, Store } from '../store/types.js';
import type { PluginRegistry, RegisteredAccountType } from '../plugins/registry-types.js';
import type { GatewayConfig } from '../config/schema.js';
import { defaultStrategy } from './default-strategy.js';
import { weightedStrategy } from './weighted-strategy.js';
import { AccountControl, type AccountControlEntry } from './account-control.js';
import { StickySessions, type StickyBinding } from './sticky-sessions.js';
import { AccountPacing } from './account-pacing.js';
import { RuntimeSettings } from './runtime-settings.js';
import { AccountModelCatalogs } from '../accounts/model-catalog.js';
import { claimedModelPrefixes } from '../accounts/model-prefix-claims.js';
import type { PlanBinding, PlannedCandidate, SchedulePlan } from './schedule-plan.js';
import { AttemptSlots, type AttemptSlotsDeps } from './attempt-slots.js';
import { systemClock, type Clock } from '../time/clock.js';
import { CoolingAccounts } from './cooling-accounts.js';
import type { PendingWrites } from '../app/pending-writes.js';
import type { AccountEvents } from '../notifications/account-events.js';

export type { PlanBinding, PlannedCandidate, SchedulePlan } from './schedule-plan.js';
export type { AttemptSlot, AttemptSlots } from './attempt-slots.js';

export interface SchedulerDeps {
  store: Store;
  registry: PluginRegistry;
  config: GatewayConfig;
  log: Logger;
  listAccounts(): Promise<AccountRecord[]>;
  /** Operator controls (pause, dedicated, weight, cooldowns); default: read from the store. */
  control?: AccountControl;
  /** Runtime settings saved in the admin (sticky TTL, cooldowns); default: read from the store. */
  settings?: RuntimeSettings;
  /** Cooldowns, last use and sticky expiry read it; default the system clock. */
  clock?: Clock;
  /** Tracks the writes made after answering (binding, last use), for `Gateway.settled()`. */
  pending?: PendingWrites;
  /** Told when accounts fail, are paused by upstream, or serve (notifications); optional. */
  events?: AccountEvents;
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

/** An account that can serve a protocol and model, with what planning needs of it. */
interface ServingEntry {
  record: AccountRecord;
  accountType: RegisteredAccountType;
  /** The upstream protocol it is called in. */
  protocol: string;
  view: AccountView;
}

/** The accounts of one list by id and by group (what a key's binding names). */
interface AccountSnapshot {
  byId: Map<string, AccountRecord>;
  byGroup: Map<string, AccountRecord[]>;
}

/** See Scheduler.servingIndex. */
interface ServingIndex {
  snapshot: AccountSnapshot;
  serving: ServingEntry[];
  notAdmitting: { record: AccountRecord; accountType: RegisteredAccountType }[];
  notAdmittingIds: Set<string>;
}

/** Protocol/model pairs indexed per account list at most. */
const MAX_INDEXED_REQUESTS = 256;

const snapshots = new WeakMap<readonly AccountRecord[], AccountSnapshot>();

/** `records` by id and by group, made once per list. */
function accountSnapshot(records: readonly AccountRecord[]): AccountSnapshot {
  let snapshot = snapshots.get(records);
  if (snapshot) return snapshot;
  snapshot = { byId: new Map(), byGroup: new Map() };
  for (const record of records) {
    snapshot.byId.set(record.id, record);
    for (const group of record.groups) {
      const members = snapshot.byGroup.get(group);
      if (members) members.push(record);
      else snapshot.byGroup.set(group, [record]);
    }
  }
  snapshots.set(records, snapshot);
  return snapshot;
}

/** The accounts a key's binding names (its account and the members of its group), in list order. */
function boundRecords(snapshot: AccountSnapshot, binding: PlanBinding): AccountRecord[] {
  const account = binding.account === undefined ? undefined : snapshot.byId.get(binding.account);
  const group = binding.group === undefined ? [] : (snapshot.byGroup.get(binding.group) ?? []);
  if (!account) return group;
  return group.includes(account) ? group : [account, ...group];
}

export class Scheduler {
  /** Operator controls of accounts (pause, resume, reset, dedicated, weight, cooldowns). */
  readonly control: AccountControl;
  /** Per-account pacing of new user turns. */
  private readonly pacing: AccountPacing;
  /** The admin's runtime settings (sticky TTL, cooldowns) over the config's; re-read every 30 s. */
  readonly settings: RuntimeSettings;
  private readonly sticky: StickySessions;
  private readonly catalogs: AccountModelCatalogs;
  private readonly slots: AttemptSlotsDeps;
  private readonly clock: Clock;
  /** {@link servingIndex} per account list (the list object the account service's cache hands out). */
  private readonly indexes = new WeakMap<readonly AccountRecord[], Map<string, ServingIndex>>();
  /** Account states as planning reads them (accounts seen cooling down are not re-read on every request). */
  private readonly cooling: CoolingAccounts;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? systemClock;
    this.catalogs = new AccountModelCatalogs(claimedModelPrefixes(deps.registry.accountTypes()));
    this.control = deps.control ?? new AccountControl({ store: deps.store, config: deps.config, clock: this.clock });
    this.cooling = new CoolingAccounts(deps.store.accountState);
    this.control.cooldownCleared.add((id) => this.cooling.forget(id));
    this.pacing = new AccountPacing({ store: deps.store, config: deps.config }, this.control);
    this.settings = deps.settings ?? new RuntimeSettings({ store: deps.store, config: deps.config, clock: this.clock });
    this.sticky = new StickySessions(
      deps.store.sticky,
      async () => (await this.settings.scheduling()).stickyTtlMs,
      () => deps.config.scheduling.stickyRenewalThresholdMs,
      this.clock,
    );
    this.slots = {
      config: deps.config,
      leases: deps.store.leases,
      maxAttempts: () => this.settings.maxAttempts(),
      enterPacing: (accountId, plan, signal) =>
        this.pacing.enter(accountId, plan.requestId, plan.request.facts, signal, plan.log),
      takeSlot: (accountId, holder, limit, ttlMs) =>
        this.track(deps.store.accountState.takeSlot(accountId, holder, limit, ttlMs, this.clock.now())),
      reportFailure: (candidate, error, plan) => this.reportFailure(candidate, error, plan.request),
      bind: (plan, accountId) => this.bind(plan.stickyKey, accountId, plan.stickyBinding),
      served: (candidate) => deps.events?.accountServed(candidate.account),
    };
  }

  /**
   * The leased, paced attempts at a planned request, best account first (see
   * attempt-slots.ts): `for await (const slot of scheduler.attempts(plan, signal))`.
   */
  attempts(plan: SchedulePlan, signal: AbortSignal): AttemptSlots {
    return new AttemptSlots(this.slots, plan, signal);
  }

  /**
   * The accounts that can serve `request`, best first. `binding` is the key's binding to
   * an account or group; `requestId` holds the leases its attempts take.
   */
  async plan(
    request: SchedulingRequest,
    { binding, requestId, log }: { binding?: PlanBinding | undefined; requestId: string; log: Logger },
  ): Promise<SchedulePlan> {
    const model = request.facts.model;
    const excluded: string[] = [];
    const controls = await this.control.all();
    const records = await this.deps.listAccounts();
    const boundTo = (record: AccountRecord) =>
      binding !== undefined &&
      (binding.account === record.id || (binding.group !== undefined && record.groups.includes(binding.group)));
    // Only the accounts that can serve the protocol and model are looked at (servingIndex):
    // the cost of planning does not grow with the accounts that cannot.
    const index = this.servingIndex(records, request.protocol, model);
    const bound = binding ? boundRecords(index.snapshot, binding) : [];
    const boundIds = bound.map((record) => record.id);
    for (const record of bound) {
      if (!record.enabled) excluded.push(`${record.id}: disabled`);
      else if (model && index.notAdmittingIds.has(record.id)) excluded.push(`${record.id}: does not serve model ${model}`);
    }
    const able: ServingEntry[] = [];
    let admitting = 0;
    let admittingBound = 0;
    for (const entry of index.serving) {
      const control = controls.get(entry.record.id);
      const isBound = binding !== undefined && boundTo(entry.record);
      if (control?.dedicated && !isBound) continue;
      admitting++;
      if (isBound) admittingBound++;
      if (control?.paused) {
        excluded.push(`${entry.record.id}: paused`);
        continue;
      }
      able.push(entry);
    }
    // Accounts that serve the protocol but not the model (dedicated ones only for keys bound to
    // them); only read when none admits it.
    const notAdmitting = () =>
      index.notAdmitting.filter((entry) => !(controls.get(entry.record.id)?.dedicated && !boundTo(entry.record)));
    const now = this.clock.now();
    // The session's binding is read with the accounts' states, in the same tick (one
    // round trip for both when the store pipelines); awaited once the candidates are known.
    const stickyKey = this.stickyKeyFor(request);
    const stickyRead = stickyKey ? this.sticky.get(stickyKey) : undefined;
    stickyRead?.catch(() => undefined);
    const states = await this.cooling.statesOf(
      able.map((entry) => entry.record.id),
      now,
    );
    const backAt = new Map<string, number>();
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
        backAt.set(entry.record.id, candidate.coolingDownUntil);
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
    candidates = [...this.strategy(controls).order(candidates, request)] as PlannedCandidate[];
    nativeFirstWithinPriority(candidates, request.protocol);
    const earliest = (ids: Iterable<string>) => Math.min(Infinity, ...[...ids].map((id) => backAt.get(id) ?? Infinity));
    let earliestBack = earliest(backAt.keys());
    let message: string | undefined;
    if (binding) {
      const bound = candidates.filter((candidate) => boundTo(candidate.record));
      const others = candidates.filter((candidate) => !boundTo(candidate.record));
      if (bound.length > 0) candidates = binding.fallback ? [...bound, ...others] : bound;
      else if (binding.fallback) candidates = others;
      else {
        candidates = [];
        const what = binding.account ? `account ${binding.account}` : `group ${binding.group}`;
        earliestBack = earliest(boundIds);
        const reasons = excluded.filter((line) => boundIds.some((id) => line.startsWith(`${id}:`)));
        if (boundIds.length === 0) reasons.push(binding.account ? 'no such account' : 'no account is in it');
        message = `This key is bound to ${what}, which cannot serve this request now${reasons.length ? ` (${reasons.join('; ')})` : ''}, and may not fall back to other accounts.`;
      }
    }
    const stickyBinding = stickyKey ? await this.applySticky(stickyKey, await stickyRead, candidates) : null;
    return {
      request,
      requestId,
      log,
      candidates,
      stickyKey,
      stickyBinding,
      retryAfterMs: candidates.length === 0 && Number.isFinite(earliestBack) ? earliestBack - now : undefined,
      excluded,
      ...(message ? { message } : {}),
      ...(model ? this.modelNotServed(admitting, admittingBound, notAdmitting, binding, boundTo) : {}),
    };
  }

  /**
   * The enabled accounts of `records` whose type serves `protocol` (natively or through a
   * translator) and that admit `model`, and those that serve the protocol but not the
   * model: what depends only on the account list, the plugins and the request's protocol
   * and model, computed once per list (the account service caches it for a couple of
   * seconds) and protocol/model pair instead of on every request.
   */
  private servingIndex(records: readonly AccountRecord[], protocol: string, model: string | undefined): ServingIndex {
    let byRequest = this.indexes.get(records);
    if (!byRequest) {
      byRequest = new Map();
      this.indexes.set(records, byRequest);
    }
    const id = `${protocol}\u0000${model ?? ''}`;
    let index = byRequest.get(id);
    if (index) return index;
    const { registry } = this.deps;
    index = { snapshot: accountSnapshot(records), serving: [], notAdmitting: [], notAdmittingIds: new Set() };
    for (const record of records) {
      if (!record.enabled) continue;
      const accountType = registry.accountType(record.type);
      if (!accountType) continue;
      const upstream = registry.upstreamProtocolFor(record.type, protocol);
      if (!upstream) continue;
      if (model && !this.catalogs.admits(record, accountType.definition.models, model)) {
        index.notAdmitting.push({ record, accountType });
        index.notAdmittingIds.add(record.id);
        continue;
      }
      index.serving.push({ record, accountType, protocol: upstream, view: toView(record) });
    }
    // Models are the client's to name: the number of pairs kept per list is bounded.
    if (byRequest.size >= MAX_INDEXED_REQUESTS) byRequest.clear();
    byRequest.set(id, index);
    return index;
  }

  /**
   * When no account admits the model: none of those serving the protocol, or, for a key
   * bound without fallback, none of its bound accounts while one of them serves the
   * protocol (a model they will never serve, not a wait).
   */
  private modelNotServed(
    admitting: number,
    admittingBound: number,
    notAdmitting: () => readonly { record: AccountRecord; accountType: RegisteredAccountType }[],
    binding: PlanBinding | undefined,
    boundTo: (record: AccountRecord) => boolean,
  ): Pick<SchedulePlan, 'modelNotServed'> {
    if (admitting === 0) return { modelNotServed: { servedPatterns: this.servedPatterns(notAdmitting()) } };
    if (!binding || binding.fallback || admittingBound > 0) return {};
    const bound = notAdmitting().filter((entry) => boundTo(entry.record));
    return bound.length > 0 ? { modelNotServed: { servedPatterns: this.servedPatterns(bound) } } : {};
  }

  /** The union of the catalogs of `accounts` ("*" when one admits every model). */
  private servedPatterns(accounts: readonly { record: AccountRecord; accountType: RegisteredAccountType }[]): string[] {
    const patterns = new Set<string>();
    for (const { record, accountType } of accounts) {
      for (const pattern of this.catalogs.patterns(record, accountType.definition.models) ?? ['*']) patterns.add(pattern);
    }
    return [...patterns].sort();
  }

  /**
   * Binds the request's session to the account that served it (renewed per the
   * threshold). `known` is the binding planning read (see {@link SchedulePlan.stickyBinding}).
   */
  async bind(stickyKey: string | undefined, accountId: string, known?: StickyBinding | null): Promise<void> {
    if (!stickyKey) return;
    await this.track(this.sticky.bind(stickyKey, accountId, known));
  }

  private track<T>(write: Promise<T>): Promise<T> {
    return this.deps.pending ? this.deps.pending.track(write) : write;
  }

  /**
   * Cools the account down according to the error kind (the account's own override
   * first), upstream's retry-after (capped at `cooldownMaxMs`) and plugin reactions.
   */
  async reportFailure(candidate: PlannedCandidate, error: UpstreamError, request: SchedulingRequest): Promise<number> {
    if (error.pauseAccount) {
      // Not a cooldown: nothing will change until an operator looks at the account.
      await this.control.pause(candidate.account.id, `upstream: ${error.message}`);
      // No cooldown, but the error is kept with the account's recent errors.
      await this.deps.store.accountState.setCooldown(candidate.account.id, 0, error.kind, error.message);
      this.deps.log.warn('account paused until an admin resumes it', { account: candidate.account.id, kind: error.kind });
      this.deps.events?.accountPaused(candidate.account, { by: 'upstream', reason: error.message });
      return 0;
    }
    this.deps.events?.accountFailed(candidate.account, error);
    if (error.kind === 'bad_request') return 0;
    const { scheduling } = this.deps.config;
    const control = await this.control.get(candidate.account.id);
    const base = control.cooldownMs?.[error.kind] ?? (await this.settings.cooldownMs(error.kind));
    let cooldownMs = Math.max(base, Math.min(error.retryAfterMs ?? 0, scheduling.cooldownMaxMs));
    for (const react of this.deps.registry.extensions.errorReactions) {
      try {
        const decision = react({ account: candidate.account, error, request });
        if (decision?.cooldownMs !== undefined) cooldownMs = decision.cooldownMs;
      } catch (reactionError) {
        this.deps.log.error('account error reaction failed', { error: reactionError });
      }
    }
    if (cooldownMs > 0) {
      await this.deps.store.accountState.setCooldown(
        candidate.account.id,
        this.clock.now() + cooldownMs,
        error.kind,
        error.message,
      );
    }
    return cooldownMs;
  }

  private strategy(controls: Map<string, AccountControlEntry>) {
    const own = this.deps.registry.extensions.strategy;
    if (own) return own;
    if (this.deps.config.scheduling.strategy === 'weighted') return weightedStrategy((id) => controls.get(id)?.weight);
    return defaultStrategy;
  }

  /**
   * Puts the session's account first (`binding`: the session's, as read); drops the
   * binding when that account cannot serve now. Returns the binding still in force (null: none).
   */
  private async applySticky(
    stickyKey: string,
    binding: StickyBinding | undefined,
    candidates: PlannedCandidate[],
  ): Promise<StickyBinding | null> {
    if (!binding) return null;
    const index = candidates.findIndex((candidate) => candidate.account.id === binding.accountId);
    if (index > 0) candidates.unshift(...candidates.splice(index, 1));
    if (index >= 0) return binding;
    await this.sticky.drop(stickyKey);
    return null;
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
    // One-shot hash: no Hash object per request.
    return hash('sha256', `${family}\n${session}`, 'hex').slice(0, 40);
  }
}

/**
 * Among accounts of equal priority, those serving the route's protocol natively come
 * before those reached through a translator; the strategy's order is kept otherwise
 * (a stable sort, run only when both kinds are present).
 */
function nativeFirstWithinPriority(candidates: PlannedCandidate[], routeProtocol: string): void {
  let native = false;
  let translated = false;
  for (const candidate of candidates) {
    if (candidate.protocol === routeProtocol) native = true;
    else translated = true;
  }
  if (!native || !translated) return;
  const rank = (candidate: PlannedCandidate) => (candidate.protocol === routeProtocol ? 0 : 1);
  candidates.sort((a, b) => a.account.priority - b.account.priority || rank(a) - rank(b));
}
