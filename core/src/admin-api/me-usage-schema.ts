/** The shape of `GET /admin/api/me/usage`: the signed-in user's usage, summed and per key with limits. */
import { z } from 'zod';
import { keyLimitsSchema } from '../limits/key-limits-schema.js';
import { isoDate } from './common-schemas.js';

/** Usage of one period (costs: `costUsd` is the rated cost, what limits count). */
export const periodUsageSchema = z.object({
  period: z.string().optional(),
  requests: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheWrite5mTokens: z.number(),
  cacheWrite1hTokens: z.number(),
  cacheReadTokens: z.number(),
  costMicros: z.number(),
  ratedCostMicros: z.number(),
  totalTokens: z.number(),
  costUsd: z.number(),
});

/** One metered limit with its use. */
export const limitUseSchema = z.object({
  path: z.string(),
  label: z.string(),
  unit: z.enum(['requests', 'tokens', 'cost']),
  limit: z.number(),
  used: z.number(),
  remaining: z.number(),
  resetsAt: isoDate.optional(),
});

const keyEntrySchema = z.object({
  key: z.object({
    id: z.string(),
    name: z.string(),
    hint: z.string(),
    status: z.enum(['active', 'disabled', 'expired']),
    createdAt: isoDate,
    expiresAt: isoDate.optional(),
    lastUsedAt: isoDate.optional(),
  }),
  usage: z.object({
    timeZone: z.string(),
    today: periodUsageSchema,
    thisMonth: periodUsageSchema,
    lifetime: periodUsageSchema,
    daily: z.array(periodUsageSchema),
  }),
  limits: keyLimitsSchema,
  budgets: z.array(limitUseSchema),
});

/** `GET /me/usage`. */
export const myUsageSchema = z.object({
  timeZone: z.string(),
  today: periodUsageSchema,
  thisMonth: periodUsageSchema,
  lifetime: periodUsageSchema,
  keys: z.array(keyEntrySchema),
});
