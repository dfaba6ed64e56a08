/**
 * The admin's language: English or Simplified Chinese, from the operator's choice (kept
 * in localStorage) or else the browser's language. Pages translate with {@link translator}
 * over a catalog of their own (lib/messages/*.ts), English being the fallback.
 */

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
 * A translate function over `catalog` for the current language; `{name}` placeholders are
 * filled from `params`.
 *
 * @example
 * const t = translator(cardMessages);
 * t('created', { count: 3 }); // '3 cards created'
 */
export function translator<K extends string>(catalog: Catalog<K>): (key: K, params?: Record<string, string | number>) => string {
  return (key, params = {}) => {
    const text = catalog[locale.current][key] ?? catalog.en[key];
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}
