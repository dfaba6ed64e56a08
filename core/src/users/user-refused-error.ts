/** A change to users that the rules forbid (the last admin, a name in use, too many keys); `status` says how to answer. */
export class UserRefusedError extends Error {
  override readonly name = 'UserRefusedError';

  constructor(
    message: string,
    readonly kind: 'conflict' | 'invalid' | 'forbidden' = 'invalid',
  ) {
    super(message);
  }
}
