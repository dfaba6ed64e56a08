/**
 * The error plugin loading throws: every problem of both load phases, one per line,
 * each naming the plugin (or config entry) it is about.
 */

/** Plugins that cannot be used; `problems` lists each one. */
export class PluginLoadError extends Error {
  override readonly name = 'PluginLoadError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super([`Cannot load plugins (${count}):`, ...problems.map((problem) => `  ${problem}`)].join('\n'));
    this.problems = Object.freeze([...problems]);
  }
}
