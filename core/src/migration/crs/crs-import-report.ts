/**
 * The outcome of `switchyard import crs`, one row per record, and its table form.
 */
import { formatTable } from '../../cli/format-table.js';

/** What the import does (or, in a dry run, would do) to one record. */
export type CrsImportAction = 'create' | 'change' | 'unchanged' | 'skip';

/** One row of the report. */
export interface CrsImportRow {
  section: 'group' | 'account' | 'key' | 'usage';
  /** The reference's id (or, for a kind nobody imports, its key prefix). */
  source: string;
  /** Switchyard's id, when there is one. */
  target?: string;
  /** The record's name, or the account type it becomes. */
  name: string;
  action: CrsImportAction;
  /** Why: the skip reason, what changed, or notes on what did not carry over exactly. */
  reason?: string;
}

export interface CrsImportReport {
  dryRun: boolean;
  rows: CrsImportRow[];
}

/** Counts of each action. */
export function countActions(report: CrsImportReport): Record<CrsImportAction, number> {
  const counts: Record<CrsImportAction, number> = { create: 0, change: 0, unchanged: 0, skip: 0 };
  for (const row of report.rows) counts[row.action]++;
  return counts;
}

/** The report as a table plus a summary line. */
export function formatCrsImportReport(report: CrsImportReport): string {
  const counts = countActions(report);
  const verb = report.dryRun ? 'would' : 'did';
  const table = formatTable(
    ['SECTION', 'SOURCE', 'TARGET', 'NAME', 'ACTION', 'WHY'],
    report.rows.map((row) => [row.section, row.source, row.target ?? '-', row.name, row.action, row.reason ?? '']),
  );
  const summary =
    `${report.dryRun ? 'Dry run: nothing was written. ' : ''}The import ${verb} create ${counts.create}, ` +
    `change ${counts.change}, leave ${counts.unchanged} unchanged and skip ${counts.skip}.\n`;
  return table + summary;
}
