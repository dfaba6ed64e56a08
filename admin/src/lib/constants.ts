/** Invalidation keys of the page loads (`depends` / `invalidate`). */
export const Dependencies = {
  ACCOUNTS: 'app:accounts',
  KEYS: 'app:keys',
  USAGE: 'app:usage',
  SETTINGS: 'app:settings',
  DASHBOARD: 'app:dashboard',
  USERS: 'app:users',
  ME: 'app:me',
  CARDS: 'app:cards',
} as const;
