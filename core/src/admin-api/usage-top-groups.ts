/**
 * The usage summary's lists (by model, key and account) as the largest groups by cost
 * plus one "others" row: with thousands of keys the whole list is megabytes of JSON and
 * one aggregate read per key. The groups are ranked from one read of every group's cost
 * and requests (`usageAggregates.scopeRanks`), and only the listed ones' totals are read.
 */
import type { z } from 'zod';
import type { Store, UsageTotals } from '../store/types.js';
import { addTotals, emptyTotals } from '../store/usage-totals.js';
import type { usageGroupSchema, usageOthersSchema, usageTotalsSchema } from './usage-schemas.js';

/** Groups listed per list when the query does not say. */
export const DEFAULT_SUMMARY_TOP = 20;

type Totals = z.infer<typeof usageTotalsSchema>;
type Group = z.infer<typeof usageGroupSchema>;
type Others = z.infer<typeof usageOthersSchema>;

/** The groups a list shows, in order, and how many there are in all. */
export interface TopGroups {
  listed: [string, UsageTotals][];
  count: number;
}

interface Rank {
  costMicros: number;
  requests: number;
}

/** Highest cost first, then most requests, then by id: the same order on every store. */
function byRank([idA, a]: [string, Rank], [idB, b]: [string, Rank]): number {
  return b.costMicros - a.costMicros || b.requests - a.requests || (idA < idB ? -1 : idA > idB ? 1 : 0);
}

/** The first `top` groups of `groups` (all of them: `Infinity`). */
export function topOf(groups: Map<string, UsageTotals>, top: number): TopGroups {
  const listed = [...groups.entries()].sort(byRank).slice(0, top);
  return { listed, count: groups.size };
}

/**
 * The first `top` groups of the `prefix` scopes over the aggregate rows `labels`, with
 * `extra` (totals counted from records, by group id) added before ranking.
 */
export async function topFromAggregates(
  store: Pick<Store, 'usageAggregates'>,
  prefix: string,
  labels: readonly string[],
  extra: Map<string, UsageTotals>,
  top: number,
): Promise<TopGroups> {
  const ranks = new Map<string, Rank>();
  if (labels.length)
    for (const [scope, rank] of await store.usageAggregates.scopeRanks(prefix, labels))
      if (rank.requests > 0 || rank.costMicros > 0) ranks.set(scope.slice(prefix.length), { ...rank });
  for (const [id, totals] of extra) {
    const rank = ranks.get(id);
    if (rank) {
      rank.costMicros += totals.costMicros;
      rank.requests += totals.requests;
    } else ranks.set(id, { costMicros: totals.costMicros, requests: totals.requests });
  }
  const ids = [...ranks.entries()]
    .sort(byRank)
    .slice(0, top)
    .map(([id]) => id);
  const rows = labels.length
    ? await store.usageAggregates.sumScopes(
        ids.map((id) => prefix + id),
        labels,
      )
    : new Map<string, UsageTotals>();
  const listed = ids.map((id): [string, UsageTotals] => {
    const totals = emptyTotals();
    const row = rows.get(prefix + id);
    if (row) addTotals(totals, row);
    const counted = extra.get(id);
    if (counted) addTotals(totals, counted);
    return [id, totals];
  });
  // Ranks are read before the totals: a request recorded in between may reorder a tie.
  listed.sort(([idA, a], [idB, b]) => byRank([idA, a], [idB, b]));
  return { listed, count: ranks.size };
}

/** `totals` minus every listed group: what the unlisted groups add up to. */
export function othersOf(totals: UsageTotals, groups: TopGroups, toTotals: (stored: UsageTotals) => Totals): Others {
  const rest = { ...totals };
  for (const [, listed] of groups.listed)
    for (const field of Object.keys(rest) as (keyof UsageTotals)[]) rest[field] -= listed[field];
  return { count: groups.count - groups.listed.length, ...toTotals(rest) };
}

/** The listed groups as the admin API shows them. */
export function groupRows(groups: TopGroups, name: (id: string) => string, toTotals: (stored: UsageTotals) => Totals): Group[] {
  return groups.listed.map(([id, totals]) => ({ id, name: name(id), ...toTotals(totals) }));
}
