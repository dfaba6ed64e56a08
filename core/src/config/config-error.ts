/**
 * The error the config loader throws: every problem found in the config file and the
 * environment, one per line, so an operator fixes them all in one go.
 */

/** A config that cannot be used; `problems` lists each one as `path: message`. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], file?: string) {
    const where = file ? ` in ${file}` : '';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`Invalid configuration${where} (${count}):`, ...problems.map((problem) => `  ${problem}`)].join('\n'));
    this.problems = Object.freeze([...problems]);
  }
}

/** Formats a JSON path (`['keys', 0, 'key']`) as `keys[0].key`; the empty path is `(root)`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}
