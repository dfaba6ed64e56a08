/**
 * Model patterns with `*`, as account settings (`settings.models`) give them. Whether an
 * account admits a model is decided by the core from the type's `models` catalog.
 */
import type { AccountView } from './account-type.js';

/**
 * True when `model` equals `pattern`, where `*` in the pattern matches any run of characters.
 *
 * @param pattern - An exact model name, or one with `*` wildcards (`'gpt-*'`).
 * @param model - The model a request names.
 * @returns Whether the pattern admits the model.
 */
export function matchesModel(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(model);
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
