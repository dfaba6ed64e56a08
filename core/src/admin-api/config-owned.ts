/**
 * Records the config file declares (`source: 'config'`) are applied again at every start,
 * so the admin API refuses to change them: an edit made here would be undone silently.
 */
import type { RecordSource } from '../store/types.js';
import { AdminApiError } from './admin-api-error.js';

/** Where the config file declares each kind of record, for the refusal's message. */
const SECTION = { key: 'keys', account: 'accounts' } as const;

/**
 * Throws `conflict` (409) when `record` is owned by the config file.
 *
 * @example refuseConfigOwned(key, 'key'); // "This key is declared in the config file (keys) …"
 */
export function refuseConfigOwned(record: { source: RecordSource }, what: keyof typeof SECTION): void {
  if (record.source !== 'config') return;
  throw new AdminApiError(
    'conflict',
    `This ${what} is declared in the config file (${SECTION[what]}); change it there. The gateway applies the file at every start, so a change made here would be undone.`,
  );
}
