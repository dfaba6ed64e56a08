/**
 * Model patterns with `*`, as account settings (`settings.models`) give them. Whether an
 * account admits a model is decided by the core from the type's `models` catalog.
 */
import type { AccountView } from './account-type.js';

/**
 * The regular-expression source of a model pattern (without anchors): `*` matches any run
 * of characters, every other character stands for itself. The one conversion every model
 * rule in the gateway uses (account catalogs, key rules).
 *
 * @param pattern - An exact model name, or one with `*` wildcards (`'acme-*'`).
 * @returns The source to wrap in `^(?:…)$`.
 */
export function modelPatternSource(pattern: string): string {
  return pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
}

/**
 * True when `model` equals `pattern`, where `*` in the pattern matches any run of characters.
 *
 * @param pattern - An exact model name, or one with `*` wildcards (`'gpt-*'`).
 * @param model - The model a request names.
 * @returns Whether the pattern admits the model.
 */
export function matchesModel(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  return new RegExp(`^${modelPatternSource(pattern)}$`).test(model);
}

/**
 * The account's `settings.models` (strings only), or `undefined` when it sets none.
 *
 * @param account - The account whose settings to read.
 * @returns The configured patterns, or `undefined` when `settings.models` is not an array.
 */
export function configuredModels(account: AccountView): readonly string[] | undefined {
  const models = account.settings.models;
  return Array.isArray(models) ? models.filter((model): model is string => typeof model === 'string') : undefined;
}
