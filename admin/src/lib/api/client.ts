/**
 * The typed admin API client: `openapi-fetch` over the types generated from the core's
 * OpenAPI document (schema.d.ts; regenerate with `npm run generate-api`). Never write
 * fetch calls by hand: go through `api` and `call`.
 */
import createClient from 'openapi-fetch';
import { base } from '$app/paths';
import { t } from '../messages/locale.svelte';
import type { operations, paths } from './schema';

/**
 * The client; paths are relative to `/admin`, e.g. `api.GET('/api/accounts')`. Every
 * request carries `X-Requested-With`: the gateway carries out a state-changing request
 * without a JSON body (a DELETE, a bodyless POST) only with that header, which a
 * cross-site form cannot send.
 */
export const api = createClient<paths>({
  baseUrl: base,
  credentials: 'same-origin',
  headers: { 'x-requested-with': 'switchyard-admin' },
});

type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;

/** The success body of an operation, e.g. `Data<'listAccounts'>`. */
export type Data<Op extends keyof operations> = operations[Op]['responses'] extends infer R
  ? R extends { 200: infer OK }
    ? Json<OK>
    : R extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;

/** The request body of an operation. */
export type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer B } };
}
  ? B
  : never;

/** An error answer of the admin API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Awaits an `api` call and returns its data, or throws {@link ApiError} with the
 * server's message and field problems.
 *
 * @example const accounts = await call(api.GET('/api/accounts'));
 */
export async function call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await request;
  if (response.ok) return data as T;
  const body = (error ?? {}) as { error?: { message?: string; problems?: string[] } };
  throw new ApiError(
    response.status,
    body.error?.message ?? t('forms.requestFailed', { status: response.status }),
    body.error?.problems ?? [],
  );
}
