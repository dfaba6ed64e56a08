/** A command line that cannot be understood; the CLI exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
