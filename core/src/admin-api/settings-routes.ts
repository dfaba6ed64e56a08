/**
 * Runtime settings the operator changes in the admin (queueing, sticky TTL, cooldowns,
 * request-log retention, the defaults of scheduled account checks) and price overrides. They live in the shared settings store;
 * the effective value is the stored one, else the config file's. The scheduler re-reads
 * sticky TTL and cooldowns every 30 s (at once on the instance that saved them), the
 * usage retention job reads the retention on each pass, and the price book re-reads
 * the overrides every minute.
 */
import { z } from 'zod';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import { RUNTIME_SETTINGS } from '../scheduler/runtime-settings.js';
import { defineRoute, type AdminRoute } from './admin-route.js';

export { RUNTIME_SETTINGS };
/** Settings entry of the price overrides. */
export const PRICE_OVERRIDES = 'pricing.overrides';

const ms = z.number().int().nonnegative();

/** The runtime settings. */
export const runtimeSettingsSchema = z.object({
  stickyTtlMs: ms.describe('How long a session stays bound to an account'),
  maxAttempts: z.number().int().min(1).max(20).describe('Most accounts one request tries'),
  cooldownMs: z.record(z.string(), ms).describe('Cooldown per upstream error kind'),
  queue: z.object({
    enabled: z.boolean().describe('Queue requests of keys that have a concurrency limit but no queue of their own'),
    maxWaitMs: ms.describe("Longest such a request waits for one of its key's slots"),
  }),
  requestLogRetentionDays: z.number().positive().describe('How long usage records are kept (the config gives it in hours)'),
  checks: z
    .object({
      intervalMinutes: z.number().int().min(0).describe('Minutes between scheduled checks of accounts that set none; 0: off'),
      onFailure: z.enum(['none', 'pause', 'cooldown']).describe('What a failed check does to an account that sets nothing'),
      cooldownMinutes: z.number().int().min(1).describe('How long `cooldown` cools the account down'),
    })
    .describe('Defaults of the scheduled account checks'),
});

/** Body of `PUT /settings`: any subset. */
export const runtimeSettingsPatchSchema = z.strictObject({
  stickyTtlMs: ms.optional(),
  maxAttempts: z.number().int().min(1).max(20).optional(),
  cooldownMs: z.record(z.string(), ms).optional(),
  queue: z.strictObject({ enabled: z.boolean().optional(), maxWaitMs: ms.optional() }).optional(),
  requestLogRetentionDays: z.number().int().min(1).max(3650).optional(),
  checks: z
    .strictObject({
      intervalMinutes: z.number().int().min(0).max(10_080).optional(),
      onFailure: z.enum(['none', 'pause', 'cooldown']).optional(),
      cooldownMinutes: z.number().int().min(1).max(10_080).optional(),
    })
    .optional(),
});

const modelPriceSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative().optional(),
  cacheWrite1h: z.number().nonnegative().optional(),
  cacheRead: z.number().nonnegative().optional(),
});

const priceRowSchema = modelPriceSchema.extend({ model: z.string(), source: z.enum(['plugin', 'override']) });

type RuntimeSettings = z.infer<typeof runtimeSettingsSchema>;

/** The effective runtime settings: stored values over the config file's. */
export async function effectiveSettings(store: Pick<Store, 'settings'>, config: GatewayConfig): Promise<RuntimeSettings> {
  const stored = ((await store.settings.get<Partial<RuntimeSettings>>(RUNTIME_SETTINGS)) ?? {}) as Partial<RuntimeSettings>;
  return {
    stickyTtlMs: stored.stickyTtlMs ?? config.scheduling.stickyTtlMs,
    maxAttempts: stored.maxAttempts ?? config.scheduling.maxAttempts,
    cooldownMs: { ...config.scheduling.cooldownMs, ...stored.cooldownMs },
    queue: { enabled: false, maxWaitMs: 30_000, ...stored.queue },
    requestLogRetentionDays: stored.requestLogRetentionDays ?? config.usage.requestLog.retentionHours / 24,
    checks: {
      intervalMinutes: stored.checks?.intervalMinutes ?? config.checks.intervalMinutes,
      onFailure: stored.checks?.onFailure ?? config.checks.onFailure,
      cooldownMinutes: stored.checks?.cooldownMinutes ?? config.checks.cooldownMinutes,
    },
  };
}

/** Runtime settings and pricing routes. */
export const settingsRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/settings',
    id: 'getSettings',
    tag: 'settings',
    summary: 'The effective runtime settings',
    response: runtimeSettingsSchema,
    handle: ({ deps }) => effectiveSettings(deps.store, deps.config),
  }),
  defineRoute({
    method: 'put',
    path: '/settings',
    id: 'updateSettings',
    tag: 'settings',
    summary: 'Change runtime settings (fields left out keep their value)',
    body: runtimeSettingsPatchSchema,
    response: runtimeSettingsSchema,
    async handle({ body, deps, admin }) {
      const stored = (await deps.store.settings.get<Record<string, unknown>>(RUNTIME_SETTINGS)) ?? {};
      const queue = { ...(stored['queue'] as object | undefined), ...body.queue };
      const cooldownMs = { ...(stored['cooldownMs'] as object | undefined), ...body.cooldownMs };
      const checks = { ...(stored['checks'] as object | undefined), ...body.checks };
      await deps.store.settings.set(RUNTIME_SETTINGS, { ...stored, ...body, queue, cooldownMs, checks });
      deps.scheduler.settings.invalidate();
      deps.log.info('runtime settings changed', { fields: Object.keys(body), by: admin });
      return effectiveSettings(deps.store, deps.config);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/pricing',
    id: 'getPricing',
    tag: 'settings',
    summary: "Model prices (USD per million tokens): the plugins' tables with the operator's overrides",
    response: z.array(priceRowSchema),
    async handle({ deps }) {
      const overrides = (await deps.store.settings.get<Record<string, z.infer<typeof modelPriceSchema>>>(PRICE_OVERRIDES)) ?? {};
      const rows = new Map<string, z.infer<typeof priceRowSchema>>();
      for (const [model, price] of Object.entries(deps.registry.prices)) rows.set(model, { ...price, model, source: 'plugin' });
      for (const [model, price] of Object.entries(overrides)) rows.set(model, { ...price, model, source: 'override' });
      return [...rows.values()].sort((a, b) => a.model.localeCompare(b.model));
    },
  }),
  defineRoute({
    method: 'put',
    path: '/pricing/overrides',
    id: 'setPriceOverrides',
    tag: 'settings',
    summary: 'Replace the price overrides (model id or pattern to prices)',
    body: z.record(z.string().min(1), modelPriceSchema),
    response: z.record(z.string(), modelPriceSchema),
    async handle({ body, deps, admin }) {
      await deps.store.settings.set(PRICE_OVERRIDES, body);
      deps.log.info('price overrides changed', { models: Object.keys(body).length, by: admin });
      return body;
    },
  }),
];
