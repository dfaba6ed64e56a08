/**
 * The admin API reports invalid input as `path: message` lines (`limits.windows.0.period:
 * a duration such as "30m"`). Forms show each next to its field: a problem goes to the
 * field its path names or, failing that, to its nearest named parent; the rest are listed
 * under the form.
 */

/** Problems by field path, and those no field shows. */
export interface PlacedProblems {
  byPath: Record<string, string>;
  other: string[];
}

/** `limits.windows[0].period` and `limits.windows.0.period` alike become `limits.windows.0.period`. */
export function normalisePath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

/** Splits one problem line into its path and message (no path: `(body)`, `(root)` or none). */
export function splitProblem(problem: string): { path: string | undefined; message: string } {
  const match = /^([A-Za-z0-9_.[\]-]+): (.*)$/s.exec(problem);
  if (!match || match[1] === '(body)' || match[1] === '(root)') return { path: undefined, message: problem };
  return { path: normalisePath(match[1]!), message: match[2]! };
}

/**
 * Places each problem at the first of its path and its parents that `shown` accepts.
 *
 * @example
 * placeProblems(['limits.costUsd.daily: too small'], (p) => p === 'limits.costUsd.daily').byPath;
 * // { 'limits.costUsd.daily': 'too small' }
 */
export function placeProblems(problems: readonly string[], shown: (path: string) => boolean): PlacedProblems {
  const placed: PlacedProblems = { byPath: {}, other: [] };
  for (const problem of problems) {
    const { path, message } = splitProblem(problem);
    let at = path;
    while (at !== undefined && !shown(at)) at = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : undefined;
    if (at === undefined) placed.other.push(problem);
    else placed.byPath[at] = placed.byPath[at] ? `${placed.byPath[at]}; ${message}` : message;
  }
  return placed;
}

/** The problems under `prefix` (e.g. `credentials`), keyed by the rest of their path. */
export function under(byPath: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(byPath))
    if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = message;
  return out;
}

/** Problems of an error thrown by `call` (an `ApiError`), or none. */
export function problemsOf(error: unknown): string[] {
  const problems = (error as { problems?: unknown }).problems;
  return Array.isArray(problems) ? problems.filter((item): item is string => typeof item === 'string') : [];
}
