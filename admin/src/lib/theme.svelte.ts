/**
 * The admin's colour theme: light, dark, or the system's preference (the default), the
 * choice kept in localStorage. The theme is applied as `data-theme` on `<html>`
 * (styles.css defines the colours of each); app.html applies a remembered choice before
 * the first paint so a dark page never flashes white.
 */

/** The operator's choice. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The order a toggle cycles through. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** Where the choice is remembered (app.html reads the same key). */
export const THEME_STORAGE_KEY = 'switchyard-theme';

function initial(): ThemeChoice {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Storage blocked: follow the system.
  }
  return 'system';
}

/** The current choice (reactive). */
export const theme = $state<{ choice: ThemeChoice }>({ choice: initial() });

/** Applies a choice to the document: `data-theme="light|dark"`, or none to follow the system. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = choice;
}

/** Switches the theme and remembers the choice. */
export function setTheme(next: ThemeChoice): void {
  theme.choice = next;
  applyTheme(next);
  try {
    if (next === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, next);
  } catch {
    // Not remembered; still switched.
  }
}
