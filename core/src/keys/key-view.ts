/** A client key as plugins see it (no secret, no limits). */
import type { KeyView } from '@switchyard/plugin-api';
import type { KeyRecord } from '../store/types.js';

/** The key as plugins see it. */
export function keyView(key: KeyRecord): KeyView {
  return { id: key.id, name: key.name, tags: key.tags, ...(key.owner ? { owner: key.owner } : {}) };
}
