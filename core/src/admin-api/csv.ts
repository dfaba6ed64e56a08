/**
 * CSV for the admin API's exports (RFC 4180: comma separated, CRLF lines, quoted when a
 * cell holds a quote, comma or line break), safe to open in a spreadsheet: a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so it
 * is never taken for a formula (CSV injection).
 */

/** Characters that make a spreadsheet read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell, escaped and defused; empty for undefined and null. */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line (with its CRLF). */
export function csvLine(cells: readonly (string | number | boolean | undefined | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Integer micro-dollars as exact US dollars with six decimals (`1234567` -> `1.234567`). */
export function microsToUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}
