/**
 * Runs one admin route: parses the JSON body and query with the route's schemas, calls
 * the handler, and answers with the handler's result parsed through the response schema
 * (so fields the schema does not list, such as hashes, never leave).
 */
import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { z } from 'zod';
import { AccountInputError } from '../accounts/account-input-error.js';
import { KeyInputError } from '../keys/key-input-error.js';
import { StoreConflictError, type UserRole } from '../store/types.js';
import { UserRefusedError } from '../users/user-refused-error.js';
import { bodyParser } from '@koa/bodyparser';
import { inviteBody } from '../app/expect-continue.js';
import { AdminApiError } from './admin-api-error.js';
import type { AdminDeps } from './admin-deps.js';
import type { AdminRoute } from './admin-route.js';

const BODY_LIMIT_BYTES = 1024 * 1024;

/** `path: message` for every issue. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(body)'}: ${issue.message}`);
}

type BodyContext = Context & { request: Context['request'] & { body?: unknown; rawBody?: string } };

// JSON only: the admin UI and scripts send nothing else, and intent checks rely on it.
const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: BODY_LIMIT_BYTES, encoding: 'utf-8' }) as unknown as (
  ctx: Context,
  next: () => Promise<unknown>,
) => Promise<void>;

async function readJson(ctx: BodyContext): Promise<unknown> {
  inviteBody(ctx.req, ctx.res);
  try {
    await parseJson(ctx, async () => undefined);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw new AdminApiError('invalid_request', 'The request body is too large (1 MB at most).');
    if (status !== undefined && status < 500) throw new AdminApiError('invalid_request', 'The request body is not valid JSON.');
    throw error;
  }
  if (ctx.request.rawBody !== undefined) return ctx.request.rawBody === '' ? undefined : ctx.request.body;
  // Not JSON: refuse any body at all rather than ignore it.
  if (ctx.request.length || ctx.get('transfer-encoding'))
    throw new AdminApiError('invalid_request', 'Send the body as application/json.');
  return undefined;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AdminApiError('invalid_request', `Invalid ${what}.`, describeIssues(parsed.error.issues));
  return parsed.data;
}

/** Calls the route and writes its answer. */
export async function handleRoute(
  ctx: Context,
  route: AdminRoute,
  deps: AdminDeps,
  admin: string,
  role: UserRole = 'admin',
): Promise<void> {
  const body = route.body ? parse(route.body, (await readJson(ctx as BodyContext)) ?? {}, 'request body') : undefined;
  const query = route.query ? parse(route.query, { ...ctx.query }, 'query') : undefined;
  const params = (ctx as Context & { params?: Record<string, string> }).params ?? {};
  if (route.csv && ctx.accepts('application/json', 'text/csv') === 'text/csv') {
    const lines = await route.csv.lines({ body, query, params, admin, role, ctx, deps });
    ctx.status = 200;
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('content-disposition', `attachment; filename="${route.csv.filename}"`);
    ctx.set('cache-control', 'no-store');
    ctx.body = Readable.from(lines);
    return;
  }
  const result = await route.handle({ body, query, params, admin, role, ctx, deps });
  const checked = route.response.safeParse(result);
  if (!checked.success) {
    deps.log.error('admin route answered outside its schema', {
      route: route.id,
      problems: describeIssues(checked.error.issues),
    });
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
  if (error instanceof UserRefusedError) {
    return new AdminApiError(error.kind === 'invalid' ? 'invalid_request' : error.kind, error.message);
  }
  return undefined;
}

/** Writes an admin error answer. */
export function writeAdminError(ctx: Context, error: AdminApiError): void {
  ctx.status = error.status;
  if (error.retryAfterMs !== undefined) ctx.set('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
  ctx.set('cache-control', 'no-store');
  ctx.body = {
    error: { type: error.type, message: error.message, ...(error.problems.length > 0 ? { problems: error.problems } : {}) },
  };
}
