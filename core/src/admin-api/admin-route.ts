/**
 * One admin API route, described once: method, path, schemas and handler. The router
 * and the OpenAPI document are both built from these descriptions, so the document the
 * web admin's client is generated from cannot drift from what the server does.
 */
import type { Context } from 'koa';
import type { z } from 'zod';
import type { UserRole } from '../store/types.js';
import type { AdminDeps } from './admin-deps.js';

/** HTTP methods the admin API uses. */
export type AdminMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler gets. */
export interface AdminInput<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  /** The signed-in user's name, admin or not (empty for public routes). */
  admin: string;
  /** The signed-in user's role (`user` only on routes marked {@link AdminRoute.forUsers}). */
  role: UserRole;
  ctx: Context;
  deps: AdminDeps;
}

/** A route as the router and the OpenAPI builder see it. */
export interface AdminRoute {
  method: AdminMethod;
  /** Koa style, relative to `/admin/api`, e.g. `/accounts/:id`. */
  path: string;
  /** OpenAPI operation id (also the name the UI refers to). */
  id: string;
  summary: string;
  tag: string;
  /** True for the few routes reachable without a session (login). */
  public?: boolean;
  /**
   * True for routes every signed-in user may call (their own session, keys and usage,
   * under `/me`); every other route answers 403 to a session of role `user`.
   */
  forUsers?: boolean;
  body?: z.ZodType;
  query?: z.ZodObject;
  /** The success body; responses are parsed with it, so fields it does not list never leave. */
  response: z.ZodType;
  /** Success status; default 200. */
  status?: number;
  /**
   * A CSV form of the answer, sent instead of JSON when the request prefers `text/csv`
   * (`Accept: text/csv`), streamed. `lines` checks the input (throwing an admin error
   * before anything is sent) and resolves to the lines, header first (see csv.ts).
   */
  csv?: {
    filename: string;
    lines(input: AdminInput<unknown, unknown>): Promise<AsyncIterable<string>>;
  };
  /** The handler; {@link defineRoute} types its body and query from the schemas (method syntax, so that handler fits). */
  handle(input: AdminInput<unknown, unknown>): Promise<unknown>;
}

/** Describes a route with its handler typed from its schemas. */
export function defineRoute<B extends z.ZodType | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  route: Omit<AdminRoute, 'body' | 'query' | 'handle' | 'csv'> & {
    body?: B;
    query?: Q;
    handle(
      input: AdminInput<B extends z.ZodType ? z.output<B> : undefined, Q extends z.ZodObject ? z.output<Q> : undefined>,
    ): Promise<unknown>;
    csv?: {
      filename: string;
      lines(
        input: AdminInput<B extends z.ZodType ? z.output<B> : undefined, Q extends z.ZodObject ? z.output<Q> : undefined>,
      ): Promise<AsyncIterable<string>>;
    };
  },
): AdminRoute {
  return route as AdminRoute;
}
