/**
 * An account create or update that cannot be applied. `problems` lists every problem as
 * `field: message`, naming fields only: values (which may be secrets) are never echoed.
 */
export class AccountInputError extends Error {
  override readonly name = 'AccountInputError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid account: ${problems.join('; ')}`);
    this.problems = Object.freeze([...problems]);
  }
}
