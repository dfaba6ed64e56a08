import type { Candidate, SelectionStrategy } from '@switchyard/plugin-api';

/**
 * Lowest priority number first; among equal priorities a random order in which each
 * account comes first with probability proportional to its weight (default 1).
 */
export function weightedStrategy(
  weightOf: (accountId: string) => number | undefined,
  random: () => number = Math.random,
): SelectionStrategy {
  return {
    name: 'weighted',
    order(candidates: readonly Candidate[]): readonly Candidate[] {
      const keyed = candidates.map((candidate) => {
        const weight = Math.max(1e-9, weightOf(candidate.account.id) ?? 1);
        return { candidate, key: Math.pow(Math.max(random(), 1e-12), 1 / weight) };
      });
      keyed.sort((a, b) => a.candidate.account.priority - b.candidate.account.priority || b.key - a.key);
      return keyed.map((entry) => entry.candidate);
    },
  };
}
