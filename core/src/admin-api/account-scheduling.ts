/**
 * An account's scheduling controls in the admin API: dedicated, weight, pacing of new user
 * turns and per-error cooldowns. The config's `scheduling.accounts.<id>` gives defaults;
 * what is set here is stored in the shared settings (every instance honours it, a restart
 * keeps it) and wins over the file. These are run-time controls like pause, so they can be
 * set on config-owned accounts too.
 */
import { z } from 'zod';
import type { AccountControlEntry } from '../scheduler/account-control.js';
import type { GatewayConfig } from '../config/schema.js';
import { found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import type { AdminDeps } from './admin-deps.js';

const ERROR_KINDS = [
  'rate_limited',
  'overloaded',
  'auth_failed',
  'forbidden',
  'upstream_5xx',
  'network',
  'quota_exhausted',
] as const;
const ms = z.number().int().nonnegative();

const pacingSchema = z.strictObject({
  minGapMs: ms.describe('Smallest gap between two requests that start a new user turn'),
  timeoutMs: ms.max(600_000).describe('How long a request waits for its turn before it is refused'),
});
const cooldownsSchema = z.partialRecord(z.enum(ERROR_KINDS), ms).describe('Cooldown per upstream error kind, in ms');

/** The scheduling controls in effect for an account, and which of them come from the config file. */
export const accountSchedulingSchema = z.object({
  dedicated: z.boolean().optional().describe('Only keys bound to the account (or a group it is in) may use it'),
  weight: z.number().positive().optional().describe('Weight for the `weighted` strategy (default 1)'),
  pacing: pacingSchema.optional().describe('Serial pacing of requests that carry a new user turn'),
  cooldownMs: cooldownsSchema.optional(),
  fromConfig: z
    .array(z.enum(['dedicated', 'weight', 'pacing', 'cooldownMs']))
    .describe("Fields whose value in effect is the config file's (scheduling.accounts), not one set in the admin"),
});

/** Body of `PUT /accounts/:id/scheduling`: absent leaves a field, null clears it (back to the config's default). */
export const accountSchedulingPatchSchema = z.strictObject({
  dedicated: z.boolean().nullable().optional(),
  weight: z.number().positive().max(1000).nullable().optional(),
  pacing: pacingSchema.nullable().optional(),
  cooldownMs: cooldownsSchema.nullable().optional(),
});

type SchedulingField = 'dedicated' | 'weight' | 'pacing' | 'cooldownMs';
const FIELDS: readonly SchedulingField[] = ['dedicated', 'weight', 'pacing', 'cooldownMs'];

/** The scheduling view of one account from its effective controls and the config's defaults. */
export function schedulingView(
  effective: AccountControlEntry | undefined,
  configured: GatewayConfig['scheduling']['accounts'][string] | undefined,
  stored: AccountControlEntry | undefined,
): z.infer<typeof accountSchedulingSchema> {
  const view: z.infer<typeof accountSchedulingSchema> = { fromConfig: [] };
  if (effective?.dedicated !== undefined) view.dedicated = effective.dedicated;
  if (effective?.weight !== undefined) view.weight = effective.weight;
  if (effective?.pacing !== undefined) view.pacing = effective.pacing;
  if (effective?.cooldownMs && Object.keys(effective.cooldownMs).length > 0) view.cooldownMs = effective.cooldownMs;
  for (const field of FIELDS) {
    const own = stored?.[field];
    const base = configured?.[field];
    if (base !== undefined && (own === undefined || (field === 'cooldownMs' && Object.keys(own).length === 0)))
      view.fromConfig.push(field);
  }
  return view;
}

/** The scheduling of every given account (for the account summaries). */
export async function schedulingOf(
  deps: Pick<AdminDeps, 'scheduler' | 'store' | 'config'>,
  ids: readonly string[],
): Promise<Map<string, z.infer<typeof accountSchedulingSchema>>> {
  const [controls, stored] = await Promise.all([deps.scheduler.control.all(), deps.scheduler.control.stored()]);
  return new Map(ids.map((id) => [id, schedulingView(controls.get(id), deps.config.scheduling.accounts[id], stored.get(id))]));
}

/** The scheduling route. */
export const accountSchedulingRoutes: AdminRoute[] = [
  defineRoute({
    method: 'put',
    path: '/accounts/:id/scheduling',
    id: 'setAccountScheduling',
    tag: 'accounts',
    summary:
      "Set the account's scheduling controls (dedicated, weight, pacing, cooldowns; null: back to the config's default), on every instance",
    body: accountSchedulingPatchSchema,
    response: accountSchedulingSchema,
    async handle({ params, body, deps, admin }) {
      const id = params['id']!;
      found(await deps.accounts.get(id), 'account');
      const patch: Parameters<typeof deps.scheduler.control.set>[1] = {};
      for (const field of FIELDS) {
        if (body[field] === undefined) continue;
        (patch as Record<string, unknown>)[field] = body[field] ?? undefined;
      }
      await deps.scheduler.control.set(id, patch);
      deps.log.info('account scheduling changed', { accountId: id, fields: Object.keys(body), by: admin });
      return (await schedulingOf(deps, [id])).get(id)!;
    },
  }),
];
