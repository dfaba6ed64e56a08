/**
 * The admin API's errors: one JSON shape, `{ error: { type, message, problems? } }`,
 * with `problems` listing every invalid field as `path: message`.
 */

/** Error types the admin API answers with, and their HTTP statuses. */
export const ADMIN_ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_many_requests: 429,
  upstream_failed: 502,
  service_unavailable: 503,
  internal_error: 500,
} as const;

/** One of {@link ADMIN_ERROR_STATUS}'s keys. */
export type AdminErrorType = keyof typeof ADMIN_ERROR_STATUS;

/** An error a handler throws to answer with a specific status. */
export class AdminApiError extends Error {
  override readonly name = 'AdminApiError';
  constructor(
    readonly type: AdminErrorType,
    message: string,
    readonly problems: string[] = [],
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get status(): number {
    return ADMIN_ERROR_STATUS[this.type];
  }
}

/** Throws `not_found` when `value` is undefined; returns it otherwise. */
export function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new AdminApiError('not_found', `${what} not found`);
  return value;
}
