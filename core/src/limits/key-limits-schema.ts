/**
 * The typed shape of a key's `limits` (config file `keys[].limits`, admin API, CLI).
 * Every field is optional; absent means "no limit". Parsing never adds defaults, so a
 * parsed value is stored exactly as written.
 */
import { z } from 'zod';
import { DURATION_PATTERN } from './duration.js';
import { modelAliasesSchema } from '../keys/model-aliases.js';

const count = z.number().int().nonnegative();
const usd = z.number().nonnegative();
const duration = z.string().regex(DURATION_PATTERN, 'a duration such as "30m", "5h", "1d" or "7d"');
const patterns = z.array(z.string().min(1));

/** One sliding window: at most `requests`, `tokens` and `costUsd` within any `period`. */
export const rateWindowSchema = z
  .strictObject({
    period: duration,
    requests: count.optional(),
    tokens: count.optional(),
    costUsd: usd.optional(),
  })
  .refine((w) => w.requests !== undefined || w.tokens !== undefined || w.costUsd !== undefined, {
    message: 'a window needs at least one of requests, tokens, costUsd',
  });

/** A weekly spending cap that only counts the models matching `models`. */
export const modelWeeklyCapSchema = z.strictObject({
  /** A name shown in the refusal message, e.g. `opus`. */
  name: z.string().min(1).optional(),
  models: patterns.min(1),
  usd,
});

export const costCapsSchema = z.strictObject({
  /** Per calendar day (UTC, or `resetUtcOffsetMinutes`). */
  daily: usd.optional(),
  /** Per week starting at `weeklyReset`. */
  weekly: usd.optional(),
  /** Over the key's whole life. */
  total: usd.optional(),
  /** When the week starts: `day` 1 (Monday) .. 7 (Sunday), `hour` 0..23. Default Monday 00:00. */
  weeklyReset: z
    .strictObject({ day: z.number().int().min(1).max(7), hour: z.number().int().min(0).max(23).optional() })
    .optional(),
  /** Offset of the day boundaries from UTC, in minutes (e.g. 480 for UTC+8). Default 0. */
  resetUtcOffsetMinutes: z.number().int().min(-840).max(840).optional(),
  /** Weekly caps for families of models (e.g. an expensive tier). */
  weeklyByModel: z.array(modelWeeklyCapSchema).optional(),
});

/** Binding of a key to one account or one group. */
export const keyBindingSchema = z
  .strictObject({
    account: z.string().min(1).optional(),
    group: z.string().min(1).optional(),
    /** When the bound account/group cannot serve: use the shared pool instead of refusing. */
    fallback: z.boolean().optional(),
  })
  .refine((b) => (b.account === undefined) !== (b.group === undefined), { message: 'bind to exactly one of account or group' });

/** The schema of a key's limits. */
export const keyLimitsSchema = z.strictObject({
  /** Requests in flight at once (0 = unlimited). */
  concurrency: count.optional(),
  /** Waiting room when the key is at its concurrency. */
  queue: z.strictObject({ size: count, timeoutMs: z.number().int().min(0).max(600_000) }).optional(),
  windows: z.array(rateWindowSchema).optional(),
  costUsd: costCapsSchema.optional(),
  /** Model rules: patterns with `*`; deny wins; with `allow`, only matching models pass. */
  models: z.strictObject({ allow: patterns.optional(), deny: patterns.optional() }).optional(),
  /** Protocol families the key may use (e.g. a provider's family id); absent or empty = all. */
  permissions: z.array(z.string().min(1)).optional(),
  /** Client program ids (from client detectors) allowed to use the key; absent or empty = any. */
  clients: z.array(z.string().min(1)).optional(),
  /** Fixed expiry (ISO 8601 with offset). */
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  /** Activation-based expiry: the key works for this long after its first use (e.g. `30d`). */
  expiresAfterFirstUse: duration.optional(),
  binding: keyBindingSchema.optional(),
  /**
   * Requested model (exact id or `*` pattern) -> the model it is served as, applied before
   * the other limits and scheduling; wins over the bound group's table (keys/model-aliases.ts).
   */
  modelAliases: modelAliasesSchema.optional(),
  /** Multiplies the key's recorded cost (applied by the usage pipeline; 1 = list price). */
  costMultiplier: z.number().positive().max(1000).optional(),
});

/** A key's limits as validated. */
export type KeyLimits = z.infer<typeof keyLimitsSchema>;
export type RateWindow = z.infer<typeof rateWindowSchema>;
export type CostCaps = z.infer<typeof costCapsSchema>;
export type KeyBinding = z.infer<typeof keyBindingSchema>;

/**
 * Every problem of a limits value, one line each (`limits.windows[0].period: ...`);
 * empty when valid. For the admin API and CLI, which store what they receive.
 */
export function checkKeyLimits(value: unknown): string[] {
  const parsed = keyLimitsSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map(
    (issue) => `limits${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
  );
}
