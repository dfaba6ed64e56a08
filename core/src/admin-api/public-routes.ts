/**
 * The public key-usage page's endpoint (`/admin/public-api/key-usage`): a key holder
 * presents their key and sees that key's usage, limits and what remains, nothing of any
 * other key. No admin session involved; the key itself is the credential, sent in the
 * body (never in a URL, so it stays out of logs); unknown keys count against the
 * client IP like failed admin sign-ins. Remaining amounts are computed from
 * the usage records; the limit policies are what enforce them.
 */
import { z } from 'zod';
import { keyStatus } from '../keys/key-status.js';
import { AdminApiError } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { isoDate } from './common-schemas.js';
import { keyLimitsSchema } from './key-schemas.js';
import { usageTotalsSchema } from './usage-schemas.js';
import { addRecord, emptyTotals } from './usage-summary.js';
import type { AdminDeps } from './admin-deps.js';

const DAY_MS = 86_400_000;
const PERIOD_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS };

const remainingSchema = z.object({
  label: z.string(),
  used: z.number(),
  limit: z.number(),
  remaining: z.number(),
  unit: z.enum(['usd', 'requests', 'tokens']),
});

const keyUsageSchema = z.object({
  name: z.string(),
  hint: z.string(),
  status: z.string(),
  expiresAt: isoDate.optional(),
  limits: keyLimitsSchema,
  today: usageTotalsSchema,
  last7Days: usageTotalsSchema,
  last30Days: usageTotalsSchema,
  remaining: z.array(remainingSchema),
});

async function totalsSince(deps: AdminDeps, keyId: string, sinceMs: number) {
  const totals = emptyTotals();
  for (const record of await deps.store.usage.list({ keyId, since: new Date(sinceMs).toISOString(), limit: 100_000 })) addRecord(totals, record);
  return totals;
}

/** Routes for key holders (no admin session). */
export const publicRoutes: AdminRoute[] = [
  defineRoute({
    method: 'post',
    path: '/key-usage',
    id: 'getOwnKeyUsage',
    tag: 'public',
    summary: "A key holder's own usage, limits and what remains (the key is the credential)",
    public: true,
    body: z.strictObject({ key: z.string().min(1).max(512) }),
    response: keyUsageSchema,
    async handle({ body, deps, ctx }) {
      const ip = ctx.ip || 'unknown';
      const verdict = await deps.loginThrottle.ipAllowed('key-usage', ip);
      if (!verdict.allowed) throw new AdminApiError('too_many_requests', 'Too many unknown keys; try again later.', [], verdict.retryAfterMs);
      const record = await deps.keys.authenticate(body.key.trim());
      if (!record) {
        await deps.loginThrottle.ipFailed('key-usage', ip);
        throw new AdminApiError('unauthorized', 'No such key.');
      }
      const now = Date.now();
      const midnight = new Date(now);
      midnight.setUTCHours(0, 0, 0, 0);
      const [today, last7Days, last30Days, all] = await Promise.all([
        totalsSince(deps, record.id, midnight.getTime()),
        totalsSince(deps, record.id, now - 7 * DAY_MS),
        totalsSince(deps, record.id, now - 30 * DAY_MS),
        totalsSince(deps, record.id, 0),
      ]);
      const limits = keyLimitsSchema.safeParse(record.limits);
      const parsed = limits.success ? limits.data : {};
      const remaining: z.infer<typeof remainingSchema>[] = [];
      const usd = (label: string, used: number, limit: number | undefined) => {
        if (limit !== undefined) remaining.push({ label, used: used / 1e6, limit, remaining: Math.max(0, limit - used / 1e6), unit: 'usd' });
      };
      usd('cost today', today.costMicros, parsed.costUsd?.daily);
      usd('cost in 7 days', last7Days.costMicros, parsed.costUsd?.weekly);
      usd('cost in total', all.costMicros, parsed.costUsd?.total);
      for (const window of parsed.windows ?? []) {
        const match = /^(\d+)([mhd])$/.exec(window.period);
        if (!match) continue;
        const used = await totalsSince(deps, record.id, now - Number(match[1]) * PERIOD_MS[match[2]!]!);
        const add = (unit: 'requests' | 'tokens' | 'usd', value: number, limit: number | undefined) => {
          if (limit !== undefined) remaining.push({ label: `${unit} per ${window.period}`, used: value, limit, remaining: Math.max(0, limit - value), unit });
        };
        add('requests', used.requests, window.requests);
        add('tokens', used.totalTokens, window.tokens);
        add('usd', used.costMicros / 1e6, window.costUsd);
      }
      return {
        name: record.name,
        hint: record.hint,
        status: keyStatus(record, new Date(now)),
        expiresAt: record.expiresAt,
        limits: record.limits,
        today,
        last7Days,
        last30Days,
        remaining,
      };
    },
  }),
];
