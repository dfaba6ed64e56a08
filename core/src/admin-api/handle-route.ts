/**
 * Runs one admin route: parses the JSON body and query with the route's schemas, calls
 * the handler, and answers with the handler's result parsed through the response schema
 * (so fields the schema does not list, such as hashes, never leave).
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { AccountInputError } from '../accounts/account-input-error.js';
import { KeyInputError } from '../keys/key-input-error.js';
import { StoreConflictError } from '../store/types.js';
import { readRawBody } from '../app/read-raw-body.js';
import { AdminApiError } from './admin-api-error.js';
import type { AdminDeps } from './admin-deps.js';
import type { AdminRoute } from './admin-route.js';

const BODY_LIMIT_BYTES = 1024 * 1024;

/** `path: message` for every issue. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
}

async function readJson(ctx: Context): Promise<unknown> {
  const raw = await readRawBody(ctx.req, BODY_LIMIT_BYTES).catch(() => {
    throw new AdminApiError('invalid_request', 'The request body is too large.');
  });
  if (raw.length === 0) return undefined;
  if (!/^application\/json\b/i.test(ctx.get('content-type'))) {
    throw new AdminApiError('invalid_request', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AdminApiError('invalid_request', 'The request body is not valid JSON.');
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminApiError('invalid_request', `Invalid ${what}.`, describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Calls the route and writes its answer. */
export async function handleRoute(ctx: Context, route: AdminRoute, deps: AdminDeps, admin: string): Promise<void> {
  const body = route.body ? parse(route.body, (await readJson(ctx)) ?? {}, 'request body') : undefined;
  const query = route.query ? parse(route.query, { ...ctx.query }, 'query') : undefined;
  const params = (ctx as Context & { params?: Record<string, string> }).params ?? {};
  const result = await route.handle({ body, query, params, admin, ctx, deps });
  const checked = route.response.safeParse(result);
  if (!checked.success) {
    deps.log.error('admin route answered outside its schema', { route: route.id, problems: describeIssues(checked.error.issues) });
    throw new AdminApiError('internal_error', 'The server built an invalid answer.');
  }
  ctx.status = route.status ?? 200;
  ctx.body = checked.data;
  ctx.set('cache-control', 'no-store');
}

/** Maps errors of the services to admin API errors; undefined for unexpected ones. */
export function toAdminError(error: unknown): AdminApiError | undefined {
  if (error instanceof AdminApiError) return error;
  if (error instanceof AccountInputError || error instanceof KeyInputError) {
    return new AdminApiError('invalid_request', 'Invalid input.', [...error.problems]);
  }
  if (error instanceof StoreConflictError) return new AdminApiError('conflict', 'That already exists.');
  return undefined;
}

/** Writes an admin error answer. */
export function writeAdminError(ctx: Context, error: AdminApiError): void {
  ctx.status = error.status;
  if (error.retryAfterMs !== undefined) ctx.set('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  ctx.set('cache-control', 'no-store');
  ctx.body = { error: { type: error.type, message: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) } };
}
