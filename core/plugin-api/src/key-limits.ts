/**
 * A client key's limits as key policies see them (`KeyPolicyContext.limits`): what the
 * operator configured, validated by the core. Every field is optional; absent means
 * "no limit". The configuration docs describe each field.
 */

/** One sliding window: at most `requests`, `tokens` and `costUsd` within any `period`. */
export interface RateWindowView {
  /** A duration such as `30m`, `5h`, `1d`, `7d`. */
  readonly period: string;
  readonly requests?: number;
  readonly tokens?: number;
  readonly costUsd?: number;
}

/** A weekly spending cap counting only the models matching `models`. */
export interface ModelWeeklyCapView {
  /** A name shown in the refusal message. */
  readonly name?: string;
  /** Model patterns (`*` matches any run of characters). */
  readonly models: readonly string[];
  readonly usd: number;
}

/** Spending caps in US dollars. */
export interface CostCapsView {
  /** Per calendar day (UTC, or `resetUtcOffsetMinutes`). */
  readonly daily?: number;
  /** Per week starting at `weeklyReset`. */
  readonly weekly?: number;
  /** Over the key's whole life. */
  readonly total?: number;
  /** When the week starts: `day` 1 (Monday) .. 7 (Sunday), `hour` 0..23. */
  readonly weeklyReset?: { readonly day: number; readonly hour?: number };
  /** Offset of the day boundaries from UTC, in minutes. */
  readonly resetUtcOffsetMinutes?: number;
  readonly weeklyByModel?: readonly ModelWeeklyCapView[];
}

/** Binding of a key to one account or one group. */
export interface KeyBindingView {
  readonly account?: string;
  readonly group?: string;
  /** When the bound account or group cannot serve: use the shared pool instead of refusing. */
  readonly fallback?: boolean;
}

/** A client key's limits. */
export interface KeyLimitsView {
  /** Requests in flight at once (0 = unlimited). */
  readonly concurrency?: number;
  /** Waiting room when the key is at its concurrency. */
  readonly queue?: { readonly size: number; readonly timeoutMs: number };
  readonly windows?: readonly RateWindowView[];
  readonly costUsd?: CostCapsView;
  /** Model rules: patterns with `*`; deny wins; with `allow`, only matching models pass. */
  readonly models?: { readonly allow?: readonly string[]; readonly deny?: readonly string[] };
  /** Protocol families the key may use; absent or empty = all. */
  readonly permissions?: readonly string[];
  /** Client program ids (from client detectors) allowed to use the key; absent or empty = any. */
  readonly clients?: readonly string[];
  /** Fixed expiry, ISO 8601 with offset. */
  readonly expiresAt?: string;
  /** The key works for this long after its first use (e.g. `30d`). */
  readonly expiresAfterFirstUse?: string;
  readonly binding?: KeyBindingView;
  /** Multiplies the key's recorded cost (1 = list price). */
  readonly costMultiplier?: number;
}
