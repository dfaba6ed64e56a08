/** A key create or update request that cannot be applied; `problems` lists each as `field: message`. */
export class KeyInputError extends Error {
  override readonly name = 'KeyInputError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid key: ${problems.join('; ')}`);
    this.problems = Object.freeze([...problems]);
  }
}
