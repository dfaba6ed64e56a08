/** Invalid input to the quota card service. */

/** Invalid input to `CardService.createBatch`, one line per problem. */
export class CardInputError extends Error {
  override readonly name = 'CardInputError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid card input: ${problems.join('; ')}`);
  }
}
