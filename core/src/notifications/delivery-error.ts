/**
 * A failed send to a target. `retryable` failures (network, timeouts, 429, 5xx) are tried
 * again after a backoff; others (a refused request, a wrong token) are dropped at once.
 */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
