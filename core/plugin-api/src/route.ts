import type { InboundRequest } from './protocol.js';
import type { Logger } from './logger.js';

/** HTTP methods a route may answer. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** What a non-relay route handler answers. Objects are written as JSON. */
export interface RouteResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The client key a request authenticated with, as plugins may see it (never the secret). */
export interface KeyView {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly owner?: string;
}

/** What a non-relay route handler gets besides the request. */
export interface RouteHandlerContext {
  /** The authenticated key; undefined on routes with `auth: 'none'`. */
  readonly key?: KeyView;
  readonly log: Logger;
  /**
   * The model ids this request's key may use on a route of `protocol` (for model lists),
   * sorted: the union over the accounts the key may use that serve the protocol natively
   * or through a translator, from their catalogs (patterns expanded to known ids) and
   * mappings, narrowed by the key's own model rules. Real ids only, never a pattern.
   */
  listModels(protocol: string): Promise<string[]>;
}

/** A handler that answers a route itself instead of relaying to an account. */
export type RouteHandler = (request: InboundRequest, context: RouteHandlerContext) => RouteResult | Promise<RouteResult>;

/** One route of a plugin, relative to each of the plugin's mount points. */
export interface RouteDefinition {
  method: HttpMethod | readonly HttpMethod[];
  /**
   * Path below the mount point, in @koa/router syntax (`/v1/messages`,
   * `/v1beta/models/:rest+`). `''` matches the mount point itself.
   */
  path: string;
  /** The protocol the route speaks: requests are parsed and errors rendered with it. */
  protocol: string;
  /**
   * A name for what the route does (`messages`, `count_tokens`), passed to the upstream
   * adapter so it picks the upstream endpoint. Defaults to the path.
   */
  operation?: string;
  /** `key` (default): a client key is required. `none`: public, e.g. a pre-connect `HEAD`. */
  auth?: 'key' | 'none';
  /**
   * The largest request body this route accepts, in megabytes (decoded, i.e. after any
   * `Content-Encoding` is undone): set it to what the provider's API documents, so a body
   * the upstream would refuse anyway is answered 413 before it is read. The operator's
   * `server.bodyLimitMb` stays the ceiling: the effective limit is the lower of the two.
   * Absent: `server.bodyLimitMb`.
   *
   * @example
   * ```ts
   * { method: 'POST', path: '/v1/chat', protocol: 'acme-chat', bodyLimitMb: 32 }
   * ```
   */
  bodyLimitMb?: number;
  /** Answer the route here instead of relaying it to an account. */
  handle?: RouteHandler;
}

/** A plugin's routes and where they are mounted by default. */
export interface RouteSet {
  /**
   * Default mount points, e.g. `['/api', '/v2']`; `''` mounts at the bare root.
   * Operators may override them per plugin in the config file.
   */
  mounts: readonly string[];
  routes: readonly RouteDefinition[];
}

/** Re-exported for handler authors. */
export type { InboundRequest };
