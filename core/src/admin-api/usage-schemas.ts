/**
 * Usage, request log and dashboard shapes of the admin API.
 */
import { z } from 'zod';
import { isoDate } from './common-schemas.js';
import { accountStateSchema } from './account-schemas.js';

/** Token counts of one request or a sum of them. */
export const tokensSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheWrite5mTokens: z.number(),
  cacheWrite1hTokens: z.number(),
  cacheReadTokens: z.number(),
  reasoningTokens: z.number().optional(),
});

/** One request as the log shows it. */
export const usageRecordSchema = z.object({
  id: z.string(),
  at: isoDate,
  keyId: z.string(),
  keyName: z.string().optional(),
  accountId: z.string().optional(),
  accountName: z.string().optional(),
  accountType: z.string().optional(),
  plugin: z.string().optional(),
  protocol: z.string(),
  model: z.string().optional().describe('The model served (after a key or group model alias)'),
  requestedModel: z.string().optional().describe('The model the client asked for, when a model alias changed it'),
  upstreamModel: z.string().optional(),
  servedModel: z
    .string()
    .optional()
    .describe(
      "The provider's id of what answered when the account called another id than the model's (an inference profile, a deployment)",
    ),
  flags: z
    .array(z.string())
    .optional()
    .describe("Markers the serving plugin put on the record, e.g. usage_mismatch (the provider's own token counts disagreed)"),
  status: z.number().int(),
  reason: z
    .string()
    .optional()
    .describe(
      "The gateway's error code when it refused or failed the request itself (e.g. invalid_api_key, cost_limit_reached); absent when an upstream answered",
    ),
  incomplete: z.boolean().optional().describe('True when the upstream cut the answer after its status went out'),
  stream: z.boolean(),
  latencyMs: z.number(),
  firstByteMs: z.number().optional(),
  usage: tokensSchema,
  costMicros: z.number().int().describe('Cost in millionths of a US dollar'),
});

/** Totals over a set of requests. */
export const usageTotalsSchema = z.object({
  requests: z.number().int(),
  errors: z.number().int(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  totalTokens: z.number(),
  costMicros: z.number().int(),
});

/** Totals of one group (a model, key or account). */
export const usageGroupSchema = usageTotalsSchema.extend({ id: z.string(), name: z.string() });

/** Query of `GET /usage/summary`. */
export const usageSummaryQuerySchema = z.object({
  since: isoDate.optional().describe('Default: 24 hours ago'),
  until: isoDate.optional().describe('Default: now'),
  bucket: z.enum(['minute', 'hour', 'day']).optional().describe('Default: chosen from the range'),
  keyId: z.string().optional(),
});

/** Usage over a range: totals, a time series, and breakdowns by model, key and account. */
export const usageSummarySchema = z.object({
  since: isoDate,
  until: isoDate,
  bucket: z.enum(['minute', 'hour', 'day']),
  totals: usageTotalsSchema,
  series: z.array(usageTotalsSchema.extend({ start: isoDate })),
  byModel: z.array(usageGroupSchema),
  byKey: z.array(usageGroupSchema),
  byAccount: z.array(usageGroupSchema),
  truncated: z.boolean().describe('True when the range held more records than one summary reads'),
});

/** Query of `GET /requests`. */
export const requestLogQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: isoDate.optional().describe('Only requests before this time (for paging)'),
  since: isoDate.optional(),
  keyId: z.string().optional(),
});

/** A page of the request log, newest first. */
export const requestLogSchema = z.object({
  items: z.array(usageRecordSchema),
  total: z.number().int(),
});

/** Account health at a glance. */
export const accountHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.enum(['ok', 'cooling_down', 'paused', 'disabled', 'unreadable']),
  state: accountStateSchema,
});

/** The dashboard's numbers. */
export const dashboardSchema = z.object({
  accounts: z.object({ total: z.number().int(), enabled: z.number().int(), coolingDown: z.number().int() }),
  keys: z.object({ total: z.number().int(), enabled: z.number().int() }),
  today: usageTotalsSchema,
  lastMinute: z.object({ requests: z.number().int(), tokens: z.number() }),
  accountHealth: z.array(accountHealthSchema),
  recent: z.array(usageRecordSchema),
});
