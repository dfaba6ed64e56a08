/**
 * Turns zod issues into `path: message` lines, looking inside union failures for the
 * branch the input was meant for, so the operator reads the real mistake.
 */
import type { z } from 'zod';
import { formatConfigPath } from './config-error.js';

type Issue = z.core.$ZodIssue;

/** True for a union branch whose only complaint is that the value itself is of another type or literal. */
function isTypeMismatchOnly(branch: readonly Issue[]): boolean {
  const only = branch[0];
  return (
    branch.length === 1 &&
    only !== undefined &&
    only.path.length === 0 &&
    (only.code === 'invalid_type' || only.code === 'invalid_value')
  );
}

/** `expected string or object` from the branches' own complaints. */
function expectedOf(branches: readonly (readonly Issue[])[]): string | undefined {
  const expected = branches.flatMap((branch) =>
    branch.map((issue) => {
      if (issue.code === 'invalid_type') return issue.expected;
      if (issue.code === 'invalid_value') return issue.values.map((value) => JSON.stringify(value)).join(' or ');
      return undefined;
    }),
  );
  if (expected.some((item) => item === undefined) || expected.length === 0) return undefined;
  return `Invalid input: expected ${[...new Set(expected)].join(' or ')}`;
}

function flatten(issue: Issue, prefix: readonly PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    const meant = issue.errors.filter((branch) => branch.length > 0 && !isTypeMismatchOnly(branch));
    if (meant.length === 1) return meant[0]!.flatMap((inner) => flatten(inner, path));
    if (meant.length === 0) return [{ path, message: expectedOf(issue.errors) ?? issue.message }];
  }
  return [{ path, message: issue.message }];
}

/**
 * Formats schema issues as `path: message` lines, de-duplicated, skipping paths in
 * `skip` (formatted paths already reported by another check).
 */
export function formatSchemaIssues(issues: readonly Issue[], skip: ReadonlySet<string> = new Set()): string[] {
  const lines = new Set<string>();
  for (const issue of issues) {
    for (const { path, message } of flatten(issue, [])) {
      const where = formatConfigPath(path);
      if (!skip.has(where)) lines.add(`${where}: ${message}`);
    }
  }
  return [...lines];
}
