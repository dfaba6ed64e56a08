/**
 * Turns schema validation issues into `field: message` lines that name fields and
 * describe what was expected, but never repeat the value that was given.
 */
import type { z } from 'zod';
import { isSecretSchema } from '@switchyard/plugin-api';

/**
 * Describes the issues of a failed `safeParse` of `input` against `schema`, each
 * prefixed with `prefix` (e.g. `credentials`).
 */
export function describeSchemaIssues(
  prefix: string,
  schema: z.ZodObject,
  input: unknown,
  issues: readonly z.core.$ZodIssue[],
): string[] {
  return issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${path || '(root)'}: ${describe(issue, schema, input)}`;
  });
}

function describe(issue: z.core.$ZodIssue, schema: z.ZodObject, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(input, issue.path) === undefined ? 'required' : `expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `too short (at least ${String(issue.minimum)} characters)`
        : `too small (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return issue.origin === 'string'
        ? `too long (at most ${String(issue.maximum)} characters)`
        : `too large (maximum ${String(issue.maximum)})`;
    case 'invalid_format':
      return `not a valid ${issue.format}`;
    case 'invalid_value':
      return 'not an allowed value';
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}`;
    case 'custom':
      return isSecretField(schema, issue.path) ? 'invalid' : issue.message;
    default:
      return 'invalid';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function isSecretField(schema: z.ZodObject, path: readonly PropertyKey[]): boolean {
  const first = path[0];
  if (typeof first !== 'string') return true;
  const field = schema.shape[first] as z.ZodType | undefined;
  return field === undefined || isSecretSchema(field);
}
