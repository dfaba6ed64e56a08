/**
 * Model allow-lists with `*` patterns, as account settings give them.
 */
import type { AccountView } from '@switchyard/core/plugin-api';

/** Model patterns Gemini accounts serve when their settings name none. */
export const DEFAULT_GEMINI_MODEL_PATTERNS: readonly string[] = ['gemini-*', 'gemma-*'];

/** True when `model` equals `pattern`, where `*` in the pattern matches any run of characters. */
export function matchesModel(pattern: string, model: string): boolean {
  if (!pattern.includes('*')) return pattern === model;
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(model);
}

/** The account's `settings.models` (strings only), or undefined when it sets none. */
export function configuredModels(account: AccountView): readonly string[] | undefined {
  const models = account.settings.models;
  return Array.isArray(models) ? models.filter((model): model is string => typeof model === 'string') : undefined;
}

/** Whether the account's allow-list (or `defaults`) admits `model`. */
export function allowsModel(account: AccountView, model: string, defaults: readonly string[]): boolean {
  return (configuredModels(account) ?? defaults).some((pattern) => matchesModel(pattern, model));
}
