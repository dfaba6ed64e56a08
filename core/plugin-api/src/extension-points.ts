import type { Logger } from './logger.js';
import type { HttpClient } from './http.js';
import type { InboundRequest, RequestFacts } from './protocol.js';
import type { KeyView } from './route.js';
import type { AccountView } from './account-type.js';
import type { UpstreamError } from './errors.js';
import type { PriceTable, Usage } from './usage.js';
import type { KeyLimitsView } from './key-limits.js';
import type { PluginKv } from './plugin-kv.js';

/** What the scheduler knows about a request when it picks an account. */
export interface SchedulingRequest {
  /** The route's protocol. */
  readonly protocol: string;
  readonly operation: string;
  readonly facts: RequestFacts;
  readonly key: KeyView;
  readonly request: InboundRequest;
}

/** An account the scheduler considers, with its live state. */
export interface Candidate {
  readonly account: AccountView;
  /** The protocol the account will be called with (the route's, or a translator's target). */
  readonly protocol: string;
  /** Epoch ms until which the account is cooling down, if it is. */
  readonly coolingDownUntil?: number;
  /** Epoch ms of the account's last use, for least-recently-used ordering. */
  readonly lastUsedAt?: number;
}

/**
 * Removes candidates for a request. Return `true` to keep, `false` or a reason
 * (for logs and the "no account" message) to drop.
 */
export interface CandidateFilter {
  name: string;
  filter(candidate: Candidate, request: SchedulingRequest): boolean | string;
}

/**
 * Supplies the sticky-session key for a request, overriding the protocol's own
 * `sessionKey`. The first provider that returns a key wins.
 */
export interface AffinityProvider {
  name: string;
  key(request: SchedulingRequest): string | undefined;
}

/** What an error reaction may decide about an account. */
export interface AccountErrorDecision {
  /** Cool the account down for this long (overrides the default for the error kind). */
  cooldownMs?: number;
}

/** Called when an account's upstream call failed; may set the cooldown. */
export type AccountErrorReaction = (event: {
  account: AccountView;
  error: UpstreamError;
  request: SchedulingRequest;
}) => AccountErrorDecision | void;

/** Orders the remaining candidates, best first. */
export interface SelectionStrategy {
  name: string;
  order(candidates: readonly Candidate[], request: SchedulingRequest): readonly Candidate[];
}

/** Scheduler extension point. */
export interface SchedulerExtensions {
  addFilter(filter: CandidateFilter): void;
  addAffinity(provider: AffinityProvider): void;
  onAccountError(reaction: AccountErrorReaction): void;
  /** Replaces the default strategy (priority, then least recently used). One plugin at most. */
  setStrategy(strategy: SelectionStrategy): void;
}

/** What a key policy sees. */
export interface KeyPolicyContext {
  readonly key: KeyView;
  /** The key's limits as configured and validated (absent fields: no limit). */
  readonly limits: KeyLimitsView;
  readonly request: InboundRequest;
  readonly facts: RequestFacts;
  readonly protocol: { readonly id: string; readonly family: string };
}

/**
 * A check run before a request is relayed. Deny by throwing a `GatewayError`
 * (e.g. `permission_denied`, `rate_limited` with `retryAfterMs`).
 */
export interface KeyPolicy {
  name: string;
  check(context: KeyPolicyContext): void | Promise<void>;
}

/** Recognises a client program (for per-key client restrictions). */
export interface ClientDetector {
  /** Stable id used in key limits, e.g. `my-cli`. */
  id: string;
  label: string;
  matches(request: InboundRequest): boolean;
}

/** Key-store extension point. */
export interface KeyExtensions {
  addPolicy(policy: KeyPolicy): void;
  addClientDetector(detector: ClientDetector): void;
}

/** An account a request tried and failed over from (see `UsageRecord.failedAttempts`). */
export interface UsageFailedAttempt {
  readonly accountId: string;
  /** The failure's kind (`UpstreamErrorKind`: `rate_limited`, `network`, ...). */
  readonly kind: string;
  /** The upstream's HTTP status, when it answered. */
  readonly status?: number;
}

/** One request's usage as the pipeline records it. Costs are integer micro-dollars. */
export interface UsageRecord {
  readonly id: string;
  /** ISO 8601. */
  readonly at: string;
  readonly keyId: string;
  readonly accountId?: string;
  readonly accountType?: string;
  readonly plugin?: string;
  readonly protocol: string;
  /** The model the request was served as: the client's, or the one a model alias made of it. */
  readonly model?: string;
  /**
   * The model the client asked for, set only when a key's or group's model alias changed
   * it (`model` is then the served one). Absent on records written before aliases existed.
   */
  readonly requestedModel?: string;
  readonly upstreamModel?: string;
  /**
   * The provider's id of what answered, when the adapter called something other than the
   * model's id (an inference profile, a regional model id, a deployment); see `UpstreamResponse.servedModel`.
   */
  readonly servedModel?: string;
  readonly status: number;
  /**
   * Why the gateway refused or failed the request itself: the error code it answered with
   * (e.g. `invalid_api_key`, `cost_limit_reached`, `no_account_available`). Absent when an
   * upstream answered, whatever its status. Refused requests carry no usage and cost 0.
   */
  readonly reason?: string;
  /**
   * True when the answer was cut short after its status went out: the upstream body
   * failed or ended early (a reset, an idle timeout), so the client got part of it.
   * Absent for complete answers and for clients that left (status 499).
   */
  readonly incomplete?: boolean;
  readonly stream: boolean;
  readonly latencyMs: number;
  readonly firstByteMs?: number;
  readonly usage: Usage;
  /** Real cost at the provider's prices, integer micro-dollars. */
  readonly costMicros: number;
  /** The key's name at the time of the request. */
  readonly keyName?: string;
  /** The key's owner, when it has one. */
  readonly owner?: string;
  /** Requests this record stands for (always 1 today; kept for roll-ups). */
  readonly requests?: number;
  /** Cost after the key's and the service's multipliers, integer micro-dollars (drives limits). */
  readonly ratedCostMicros?: number;
  /** The multiplier applied to get `ratedCostMicros` (key x service). */
  readonly costMultiplier?: number;
  /** False when no price table knew the model and the configured fallback price was used. */
  readonly priced?: boolean;
  /** The price entry used: a model id, a pattern, or `fallback`. */
  readonly pricedAs?: string;
  /** Version of the price book that priced this record. */
  readonly priceVersion?: number;
  /** Time the gateway itself spent (everything but waiting for upstream), in ms. */
  readonly overheadMs?: number;
  /** Time spent waiting in a key or account queue before the attempt, in ms. */
  readonly queueWaitMs?: number;
  /**
   * The client program, from the first product token of its User-Agent (e.g. `my-cli`),
   * letters, digits and `._-` only, 64 characters at most. Absent when none was sent.
   */
  readonly client?: string;
  /** The protocol's conversation key (`RequestFacts.sessionKey`), 128 characters at most. */
  readonly session?: string;
  /**
   * Accounts tried before the one that served (or all of them, when none did), in order:
   * the account, the kind of its failure and the upstream status when one answered.
   */
  readonly failedAttempts?: readonly UsageFailedAttempt[];
  /**
   * Markers the serving plugin put on this record (`UpstreamResponse.usageFlags`), e.g.
   * `usage_mismatch` when the provider's own token counts disagreed with the usage it reported.
   */
  readonly flags?: readonly string[];
  /** Request and response text, only when prompt capture is on; each capped in size. */
  readonly capture?: { readonly request?: string; readonly response?: string; readonly truncated: boolean };
}

/**
 * Adds fields or corrects a record before it is stored and reaches the sinks. Return a
 * new record or the same one. An enricher that throws, or whose result lacks a valid
 * `id`, `keyId` or ISO 8601 `at`, is skipped for that record (logged): the record goes on
 * as it was, so an enricher can never make a record unstorable.
 */
export type UsageEnricher = (record: UsageRecord) => UsageRecord;

/**
 * Receives usage records. A sink that throws is logged and counted; the other sinks
 * still get the record and the request is unaffected.
 */
export interface UsageSink {
  name: string;
  write(records: readonly UsageRecord[]): void | Promise<void>;
}

/** Usage pipeline extension point. */
export interface UsageExtensions {
  addEnricher(enricher: UsageEnricher): void;
  addSink(sink: UsageSink): void;
  /** Adds prices beyond the plugin's declared `pricing` (e.g. loaded at setup). */
  addPrices(table: PriceTable): void;
}

/** Lifecycle extension point. */
export interface LifecycleExtensions {
  /** Runs `task` every `intervalMs` until shutdown; errors are logged, never fatal. */
  every(name: string, intervalMs: number, task: () => void | Promise<void>): void;
  /** Runs at graceful shutdown, after in-flight requests finished or timed out. */
  onShutdown(name: string, hook: () => void | Promise<void>): void;
}

/** What `setup(env)` gets. Every extension point is available only during setup. */
export interface PluginEnv<O> {
  readonly pluginId: string;
  /** The plugin's options from the config file, validated by its `options` schema. */
  readonly options: O;
  readonly log: Logger;
  /** An HTTP client with no egress proxy (for plugin-level calls). */
  readonly http: HttpClient;
  readonly kv: PluginKv;
  readonly scheduler: SchedulerExtensions;
  readonly keys: KeyExtensions;
  readonly usage: UsageExtensions;
  readonly lifecycle: LifecycleExtensions;
}
