/**
 * Accounts no request can reach, found at startup so the operator hears of a typo in
 * `settings.models` (or an account whose plugin's routes are not loaded) before clients
 * see 404s. Only a warning: a compatible endpoint may serve models no price table knows.
 */
import type { PluginRegistry } from '../plugins/registry-types.js';
import { accountModelPatterns, compileModelPatterns } from './model-catalog.js';

/** The account fields the check reads. */
export interface UnservableSubject {
  id: string;
  type: string;
  enabled: boolean;
  settings: Readonly<Record<string, unknown>>;
}

/** Why an account can serve no request, per account. */
export interface UnservableAccount {
  account: string;
  reason: string;
}

/**
 * Enabled accounts whose type no loaded route reaches (natively or through a
 * translator), or whose catalog matches none of the models the loaded plugins price.
 */
export function findUnservableAccounts(
  registry: Pick<PluginRegistry, 'routes' | 'prices' | 'accountType' | 'upstreamProtocolFor'>,
  accounts: readonly UnservableSubject[],
): UnservableAccount[] {
  const routeProtocols = [...new Set(registry.routes.map((route) => route.definition.protocol))];
  // Price-table keys are ids or `*` patterns; with the `*` removed each names a model.
  const known = Object.keys(registry.prices);
  const knownIds = known.map((key) => key.replaceAll('*', ''));
  const found: UnservableAccount[] = [];
  for (const account of accounts) {
    const type = registry.accountType(account.type);
    if (!account.enabled || !type) continue;
    if (!routeProtocols.some((protocol) => registry.upstreamProtocolFor(account.type, protocol) !== undefined)) {
      found.push({ account: account.id, reason: `no loaded route serves a protocol its type (${account.type}) can answer` });
      continue;
    }
    // A type claiming a model prefix serves ids of its own naming, which no price table lists.
    if (type.definition.models?.prefix) continue;
    const patterns = accountModelPatterns(type.definition.models, account.settings);
    if (patterns === undefined || patterns.includes('*') || known.length === 0) continue;
    const admits = compileModelPatterns(patterns);
    const overlaps =
      knownIds.some((id) => admits(id)) ||
      known.some((key) => patterns.some((pattern) => compileModelPatterns([key])(pattern.replaceAll('*', ''))));
    if (!overlaps) {
      found.push({
        account: account.id,
        reason: `its models (${patterns.join(', ')}) match no model the loaded plugins know; check settings.models (fine for a compatible endpoint serving other models)`,
      });
    }
  }
  return found;
}
