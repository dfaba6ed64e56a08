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
  latencyMs: z.number().describe('From the request reaching the gateway to the end of the answer, in ms'),
  firstByteMs: z
    .number()
    .optional()
    .describe("From the request reaching the gateway to the answer's first byte (the upstream's, relayed), in ms"),
  queueWaitMs: z.number().optional().describe("Time waited in the key's queue before the first attempt, in ms"),
  overheadMs: z.number().optional().describe('Time the gateway itself spent (everything but waiting for upstream), in ms'),
  client: z.string().optional().describe("The client program, from its User-Agent's first product token"),
  session: z.string().optional().describe("The protocol's conversation key"),
  failedAttempts: z
    .array(
      z.object({ accountId: z.string(), accountName: z.string().optional(), kind: z.string(), status: z.number().optional() }),
    )
    .optional()
    .describe('Accounts tried and failed over from, in order'),
  usage: tokensSchema,
  costMicros: z.number().int().describe('Cost in millionths of a US dollar'),
  ratedCostMicros: z.number().int().optional().describe("Cost after the key's and the service's multipliers (drives limits)"),
  pricedAs: z.string().optional().describe('The price entry used: a model id, a pattern, or fallback'),
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

/** The filters the usage summary and the request log share (each set one must match). */
export const usageFilterSchema = z.object({
  keyId: z.string().optional(),
  accountId: z.string().optional(),
  model: z.string().max(200).optional().describe('The served, requested or upstream model'),
  outcome: z.enum(['success', 'error']).optional().describe('error: status 400 or above, or cut short'),
  status: z.coerce.number().int().min(100).max(599).optional().describe('An exact HTTP status'),
  client: z.string().max(64).optional().describe('The client program (`client` of a record)'),
  search: z
    .string()
    .max(200)
    .optional()
    .describe('Case-insensitive text in the id, key name, owner, models, error reason, client, session or account type'),
});

/** Most groups a summary lists per list (`top`), short of `all`. */
export const MAX_SUMMARY_TOP = 1000;

/** Query of `GET /usage/summary`. */
export const usageSummaryQuerySchema = usageFilterSchema.extend({
  since: isoDate.optional().describe('Default: 24 hours ago'),
  until: isoDate.optional().describe('Default: now'),
  bucket: z.enum(['minute', 'hour', 'day']).optional().describe('Default: chosen from the range'),
  top: z
    .union([z.literal('all'), z.coerce.number().int().min(1).max(MAX_SUMMARY_TOP)])
    .optional()
    .describe(
      `Groups listed in byModel, byKey and byAccount, largest cost first; the rest are summed in \`others\`. Default 20 (the CSV form: all); \`all\` lists every group (slow with thousands of keys)`,
    ),
});

/** The groups a list leaves out, summed. */
export const usageOthersSchema = usageTotalsSchema.extend({
  count: z.number().int().describe('How many groups are not listed'),
});

/** Usage over a range: totals, a time series, and breakdowns by model, key and account. */
export const usageSummarySchema = z.object({
  since: isoDate,
  until: isoDate,
  bucket: z.enum(['minute', 'hour', 'day']),
  totals: usageTotalsSchema,
  series: z.array(usageTotalsSchema.extend({ start: isoDate })),
  byModel: z.array(usageGroupSchema).describe('The `top` models with the highest cost (then most requests), in that order'),
  byKey: z.array(usageGroupSchema).describe('The `top` keys with the highest cost (then most requests), in that order'),
  byAccount: z
    .array(usageGroupSchema)
    .describe(
      'The `top` accounts with the highest cost (then most requests), in that order; `(none)`: requests no account served, listed when every account is',
    ),
  others: z
    .object({ byModel: usageOthersSchema, byKey: usageOthersSchema, byAccount: usageOthersSchema })
    .describe(
      'Per list, the groups not listed, summed (the totals minus the listed groups, so a list and its others add up to the totals)',
    ),
  truncated: z
    .boolean()
    .describe(
      'True when the range held more records than one summary reads (filters other than keyId are answered from the records)',
    ),
});

/** Query of `GET /requests`. */
export const requestLogQuerySchema = usageFilterSchema.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .optional()
    .describe('Default 50; ignored by the CSV form, which sends every match'),
  before: isoDate.optional().describe('Only requests before this time (the end of a range, and for paging)'),
  since: isoDate.optional(),
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
