import type { Candidate, SelectionStrategy } from '@switchyard/plugin-api';

/** Priority (lower first), then least recently used (never used first), then id for stability. */
export const defaultStrategy: SelectionStrategy = {
  name: 'priority-then-lru',
  order(candidates: readonly Candidate[]): readonly Candidate[] {
    return [...candidates].sort(
      (a, b) =>
        a.account.priority - b.account.priority ||
        (a.lastUsedAt ?? 0) - (b.lastUsedAt ?? 0) ||
        a.account.id.localeCompare(b.account.id),
    );
  },
};
