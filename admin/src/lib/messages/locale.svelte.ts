/**
 * The admin's language: English or Simplified Chinese, from the operator's choice (kept
 * in localStorage) or else the browser's language. Every string comes from the one catalog
 * (`catalog.ts`, folding the area files of this folder): pages translate with
 * {@link translator} over their area's catalog, or with {@link t} by full name
 * (`t('layout.signOut')`); English is the fallback.
 */
import { catalog, type Area, type MessageKey } from './catalog';

/** The languages the admin speaks. */
export type Locale = 'en' | 'zh-CN';

/** The languages with their own names, for a switch. */
export const LOCALES: readonly { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const STORAGE_KEY = 'switchyard-locale';

function initial(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    // Storage blocked: follow the browser.
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The current language (reactive). */
export const locale = $state<{ current: Locale }>({ current: initial() });

/** Switches the language and remembers the choice. */
export function setLocale(next: Locale): void {
  locale.current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered; still switched.
  }
}

/** A message catalog: the same keys in every language. */
export type Catalog<K extends string> = Record<Locale, Record<K, string>>;

/**
 * A translate function over `messages` (one area's catalog) for the current language; `{name}` placeholders are
 * filled from `params`.
 *
 * @example
 * const t = translator(cardMessages);
 * t('created', { count: 3 }); // '3 cards created'
 */
export function translator<K extends string>(messages: Catalog<K>): (key: K, params?: Record<string, string | number>) => string {
  return (key, params = {}) => fill(messages[locale.current][key] ?? messages.en[key], params);
}

/** Placeholder values of a message. */
export type MessageParams = Record<string, string | number>;

function fill(text: string, params: MessageParams): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Translates a message of the catalog by its full name, `area.key`, in the current
 * language (reactive inside components and `$derived`).
 *
 * @example
 * t('layout.signOut'); // 'Sign out' or '退出登录'
 */
export function t(key: MessageKey, params: MessageParams = {}): string {
  const dot = key.indexOf('.');
  const area = catalog[key.slice(0, dot) as Area] as Catalog<string>;
  const name = key.slice(dot + 1);
  return fill(area[locale.current][name] ?? area.en[name] ?? key, params);
}
