/**
 * `${ENV_VAR}` interpolation over a parsed config document.
 */
import { formatConfigPath } from './config-error.js';

/** The result of {@link interpolateEnv}. */
export interface Interpolated {
  /** A copy of the document with every placeholder replaced. */
  value: unknown;
  /** One `path: message` line per unset variable without a default. */
  problems: string[];
  /** Formatted paths of the values behind `problems` (to silence follow-up schema errors there). */
  problemPaths: Set<string>;
  /**
   * JSON paths of string values that consisted of exactly one placeholder, e.g.
   * `port: ${PORT}`; the loader may coerce those to numbers or booleans.
   */
  wholeValuePaths: (readonly PropertyKey[])[];
}

const PLACEHOLDER = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value (not in object keys)
 * of `document`, recursively. `:-` uses the default when the variable is unset or
 * empty; `$${NAME}` stays a literal `${NAME}`. Never mutates `document`.
 */
export function interpolateEnv(document: unknown, env: NodeJS.ProcessEnv): Interpolated {
  const problems: string[] = [];
  const problemPaths = new Set<string>();
  const wholeValuePaths: (readonly PropertyKey[])[] = [];
  const walk = (value: unknown, path: PropertyKey[]): unknown => {
    if (typeof value === 'string') {
      if (WHOLE.test(value)) wholeValuePaths.push([...path]);
      return value.replace(PLACEHOLDER, (match, escaped: string, name: string, fallback: string | undefined) => {
        if (escaped) return match.slice(1);
        const current = env[name];
        if (fallback !== undefined) return current === undefined || current === '' ? fallback : current;
        if (current === undefined) {
          problemPaths.add(formatConfigPath(path));
          problems.push(`${formatConfigPath(path)}: environment variable ${name} is not set`);
          return '';
        }
        return current;
      });
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(value)) out[key] = walk(field, [...path, key]);
      return out;
    }
    return value;
  };
  return { value: walk(document, []), problems, problemPaths, wholeValuePaths };
}
