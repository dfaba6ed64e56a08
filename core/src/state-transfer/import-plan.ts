/**
 * What an import does, decided before anything is written: one planned step per record,
 * each created, changed, unchanged or skipped (with the reason). A dry run prints the
 * plan; a real run applies its steps in order. Re-running an import plans only
 * `unchanged` steps, which is what makes it idempotent.
 */
import { canonicalJson } from '../security/canonical-json.js';
import { formatTable } from '../cli/format-table.js';

/** The outcome of one step. */
export type ImportOutcome = 'create' | 'change' | 'unchanged' | 'skip';

/** One planned step. */
export interface ImportStep {
  /** What kind of record: `key`, `account`, `usage records`, … */
  kind: string;
  /** Which one (id, name, or a count for bulk kinds). */
  id: string;
  outcome: ImportOutcome;
  /** Why it is skipped or what changes. */
  reason?: string;
  /** Writes the step (absent for unchanged and skipped steps). */
  apply?: () => Promise<void>;
  /** Counted in the summary only, not listed one by one (usage rows). */
  bulk?: boolean;
  /** How many items a bulk step covers. */
  count?: number;
}

/** Whether two JSON values are equal regardless of key order (undefined fields ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Runs the steps that write, in order. */
export async function applyPlan(steps: readonly ImportStep[]): Promise<void> {
  for (const step of steps) if (step.apply && (step.outcome === 'create' || step.outcome === 'change')) await step.apply();
}

const OUTCOMES: readonly ImportOutcome[] = ['create', 'change', 'unchanged', 'skip'];

/** Counts per kind and outcome. */
export function summarisePlan(steps: readonly ImportStep[]): Map<string, Record<ImportOutcome, number>> {
  const summary = new Map<string, Record<ImportOutcome, number>>();
  for (const step of steps) {
    const row = summary.get(step.kind) ?? { create: 0, change: 0, unchanged: 0, skip: 0 };
    row[step.outcome] += step.count ?? 1;
    summary.set(step.kind, row);
  }
  return summary;
}

/** The report printed after an import (or instead of it, on a dry run). */
export function formatPlan(steps: readonly ImportStep[], dryRun: boolean): string {
  const summary = summarisePlan(steps);
  const verbs = dryRun
    ? ['WOULD CREATE', 'WOULD CHANGE', 'UNCHANGED', 'SKIPPED']
    : ['CREATED', 'CHANGED', 'UNCHANGED', 'SKIPPED'];
  let out = formatTable(
    ['KIND', ...verbs],
    [...summary].map(([kind, row]) => [kind, ...OUTCOMES.map((outcome) => String(row[outcome]))]),
  );
  const listed = steps.filter((step) => !step.bulk && step.outcome !== 'unchanged');
  if (listed.length > 0) {
    out +=
      '\n' +
      formatTable(
        ['KIND', 'ID', 'OUTCOME', 'WHY'],
        listed.map((step) => [step.kind, step.id, step.outcome, step.reason ?? '']),
      );
  }
  return out;
}
