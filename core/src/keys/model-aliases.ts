/**
 * Model aliases: a key's or group's table from the model a client asks for to the model
 * it is served as (`big-model-4` -> `other-model-2`), so a client that names one vendor's
 * models can run on a group of accounts that serve other models. Applied before key
 * admission and scheduling: model rules, budgets, account selection and pricing all see
 * the served model; the usage record keeps the requested one too (`requestedModel`).
 *
 * Keys hold theirs in `limits.modelAliases`; groups in `modelAliases`, used for keys
 * bound to the group. The key's table wins over the group's. In a table, an exact id
 * wins over patterns (`*` for any run of characters, case-insensitive), and the longest
 * pattern wins among patterns.
 */
import { z } from 'zod';
import { isRecord } from '@switchyard/plugin-api';
import type { GroupRepository, KeyRecord } from '../store/types.js';
import { matchesModel } from '../limits/match-model.js';
import { systemClock, type Clock } from '../time/clock.js';

/** How long a group's table is reused before it is read from the store again. */
export const GROUP_ALIAS_TTL_MS = 5_000;

/** A model alias table: requested model id or pattern -> served model id. */
export const modelAliasesSchema = z
  .record(
    z.string().trim().min(1).max(200),
    z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((model) => !model.includes('*'), 'the served model is an exact id, not a pattern'),
  )
  .refine((table) => Object.keys(table).length <= 200, 'at most 200 aliases');

/** A validated alias table. */
export type ModelAliases = z.infer<typeof modelAliasesSchema>;

/** The model `table` maps `model` to, or undefined when no entry matches. */
export function aliasIn(table: Readonly<Record<string, unknown>> | undefined, model: string): string | undefined {
  if (!table) return undefined;
  const exact = table[model];
  if (typeof exact === 'string' && exact !== '') return exact;
  let best: { length: number; target: string } | undefined;
  for (const [pattern, target] of Object.entries(table)) {
    if (!pattern.includes('*') || typeof target !== 'string' || target === '') continue;
    if (best && best.length >= pattern.length) continue;
    if (matchesModel(model, [pattern])) best = { length: pattern.length, target };
  }
  return best?.target;
}

function tableOf(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

/** Resolves the served model of a request from its key's and its bound group's tables. */
export class ModelAliasResolver {
  private readonly groups = new Map<string, { table: Record<string, unknown> | undefined; until: number }>();

  constructor(
    private readonly store: { groups: Pick<GroupRepository, 'get'> },
    private readonly clock: Clock = systemClock,
  ) {}

  /** The model to serve `model` as for `key`, or undefined when no alias applies (or it maps to itself). */
  async resolve(key: KeyRecord, model: string | undefined): Promise<string | undefined> {
    if (!model) return undefined;
    const limits = tableOf(key.limits);
    let served = aliasIn(tableOf(limits?.['modelAliases']), model);
    const binding = tableOf(limits?.['binding']);
    const group = typeof binding?.['group'] === 'string' ? binding['group'] : undefined;
    if (served === undefined && group !== undefined) served = aliasIn(await this.groupTable(group), model);
    return served === model ? undefined : served;
  }

  private async groupTable(id: string): Promise<Record<string, unknown> | undefined> {
    const now = this.clock.now();
    const cached = this.groups.get(id);
    if (cached && cached.until > now) return cached.table;
    const table = tableOf((await this.store.groups.get(id))?.modelAliases);
    this.groups.set(id, { table, until: now + GROUP_ALIAS_TTL_MS });
    return table;
  }
}
