/**
 * Model alias tables in the admin's forms: one `requested=served` pair per line
 * (`claude-*=gpt-5`), to and from the API's `{ requested: served }` object.
 */
import { t } from './messages/locale.svelte';

/** A line of an alias field that is not `requested=served`; the message is in the chosen language. */
export class ModelAliasError extends Error {
  constructor(
    /** The 1-based line number. */
    readonly line: number,
  ) {
    super(t('forms.aliasesLine', { line }));
  }
}

/** Parses the text of an alias field; blank lines are skipped. Throws {@link ModelAliasError} for the first bad line. */
export function parseModelAliases(text: string): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const at = line.indexOf('=');
    const requested = at < 0 ? '' : line.slice(0, at).trim();
    const served = at < 0 ? '' : line.slice(at + 1).trim();
    if (requested === '' || served === '') throw new ModelAliasError(index + 1);
    table[requested] = served;
  }
  return table;
}

/** The text of an alias field for a table. */
export function formatModelAliases(table: Readonly<Record<string, string>> | undefined): string {
  return Object.entries(table ?? {})
    .map(([requested, served]) => `${requested}=${served}`)
    .join('\n');
}
