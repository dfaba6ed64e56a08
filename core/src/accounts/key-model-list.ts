/**
 * The model list a key sees on a route (`GET …/v1/models`): the union of what the
 * accounts it may use serve for the route's protocol, natively or through a translator
 * (the accounts selection would consider, paused ones included: a pause is temporary).
 *
 * Real ids only: an account's exact ids (in `settings.models`, the keys of its
 * `modelMapping`) are listed as they are; its `*` patterns are expanded against the ids
 * the plugins know (their `knownModels` and the exact keys of their price tables), never
 * listed themselves. Ids the account type lists itself (`listModels`) count when the
 * catalog admits them. The key's binding and its own model rules (deny wins; with an
 * allow-list only matching ids) narrow the list.
 */
import type { AccountView } from '@switchyard/plugin-api';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { KeyLimits } from '../limits/key-limits-schema.js';
import { matchesModel } from '../limits/match-model.js';
import { accountModelPatterns, accountModelTest } from './model-catalog.js';

/** The account fields a model list reads. */
export interface ListedAccount {
  id: string;
  type: string;
  enabled: boolean;
  groups: readonly string[];
  settings: Readonly<Record<string, unknown>>;
}

/** What the list of one key on one route depends on. */
export interface KeyModelListInput<A extends ListedAccount> {
  registry: Pick<PluginRegistry, 'accountType' | 'upstreamProtocolFor'>;
  /** From {@link knownModelIds}. */
  knownIds: readonly string[];
  accounts: readonly A[];
  /** The route's protocol. */
  protocol: string;
  /** Dedicated accounts serve only keys bound to them. */
  isDedicated(accountId: string): boolean;
  /** The account as its type's `listModels` sees it. */
  view(account: A): AccountView;
  /** The key's limits (binding and model rules); undefined for no key. */
  limits?: Pick<KeyLimits, 'binding' | 'models'> | undefined;
  /** The model-id prefixes the loaded account types claim (see model-prefix-claims.ts); default none. */
  claimedPrefixes?: readonly string[];
}

/** Exact model ids the loaded plugins know: their `knownModels` and the exact keys of the merged price table. */
export function knownModelIds(registry: Pick<PluginRegistry, 'plugins' | 'prices'>): string[] {
  const ids = new Set<string>();
  for (const { plugin } of registry.plugins) for (const id of plugin.knownModels ?? []) if (!id.includes('*')) ids.add(id);
  for (const key of Object.keys(registry.prices)) if (!key.includes('*')) ids.add(key);
  return [...ids];
}

/** The sorted model ids the key may use on a route of `protocol`. */
export function listKeyModels<A extends ListedAccount>(input: KeyModelListInput<A>): string[] {
  const { registry, knownIds, protocol, limits } = input;
  const binding = limits?.binding;
  const boundTo = (account: A) =>
    binding !== undefined &&
    (binding.account === account.id || (binding.group !== undefined && account.groups.includes(binding.group)));
  const reachable = input.accounts.filter((account) => {
    if (!account.enabled || !registry.accountType(account.type)) return false;
    if (input.isDedicated(account.id) && !boundTo(account)) return false;
    return registry.upstreamProtocolFor(account.type, protocol) !== undefined;
  });
  // A key bound without fallback uses its bound accounts alone (as the scheduler does).
  const usable = binding && !binding.fallback ? reachable.filter(boundTo) : reachable;
  const ids = new Set<string>();
  for (const account of usable) {
    const definition = registry.accountType(account.type)!.definition;
    const patterns = accountModelPatterns(definition.models, account.settings);
    const admits = accountModelTest(definition.models, patterns, input.claimedPrefixes ?? []);
    for (const pattern of patterns ?? []) {
      if (!pattern.includes('*')) {
        if (admits(pattern)) ids.add(pattern);
      } else for (const id of knownIds) if (admits(id)) ids.add(id);
    }
    for (const id of definition.listModels?.(input.view(account)) ?? []) if (!id.includes('*') && admits(id)) ids.add(id);
  }
  const allow = limits?.models?.allow ?? [];
  const deny = limits?.models?.deny ?? [];
  const keyAllows = (id: string) => {
    const judged = id.toLowerCase();
    return !(deny.length > 0 && matchesModel(judged, deny)) && !(allow.length > 0 && !matchesModel(judged, allow));
  };
  return [...ids].filter(keyAllows).sort();
}
