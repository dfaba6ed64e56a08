import type { z } from 'zod';
import type { HttpClient } from './http.js';
import type { Logger } from './logger.js';
import type { Usage } from './usage.js';
import type { UpstreamError } from './errors.js';
import type { PluginKv } from './plugin-kv.js';
import type { Readable } from 'node:stream';
import type { ServedProtocol } from './served-protocol.js';
import type { AccountImport } from './account-import.js';
import type { BodyTransform } from './body-transform.js';

/** An account as plugins see it: its identity and non-secret settings, never credentials. */
export interface AccountView {
  readonly id: string;
  /** The account type id, e.g. `echo-key`. */
  readonly type: string;
  readonly name: string;
  /** Lower is preferred; 1..100, default 50. */
  readonly priority: number;
  readonly groups: readonly string[];
  /** The account's non-secret settings, validated by the account type's `settings` schema. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/** What every per-account hook gets. */
export interface AccountContext<C> {
  readonly account: AccountView;
  /**
   * The decrypted credentials, validated by the account type's schema when they were
   * stored (credentials stored under an older schema keep their old form: read moments
   * with `timestampMs`). Never log them.
   */
  readonly credentials: C;
  /** HTTP client routed through the account's egress proxy. */
  readonly http: HttpClient;
  /** Aborted when the client goes away or the gateway shuts down. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** The plugin's own key-value store (shared across gateway instances on the redis store). */
  readonly kv: PluginKv;
}

/** A request on its way upstream, in the protocol the account serves. */
export interface RelayRequest {
  /** The protocol of `body` (the route's, or the translator's target). */
  readonly protocol: string;
  /** The route's operation name (or the translator's), e.g. `messages`. */
  readonly operation: string;
  readonly method: string;
  /** The path below the mount point, as the client sent it. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** The client's query string, minus every `key` parameter (a client key never reaches upstream). */
  readonly query: URLSearchParams;
  /**
   * The client's headers, verbatim, lower-cased, minus hop-by-hop headers, `host`,
   * `content-length`, `expect`, and every header a client key can ride in (`x-api-key`,
   * `authorization`, `x-goog-api-key`, `api-key`), whether or not it carried the key used.
   * Forward them; set the account's own credential yourself.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, parsed (after translation when one applies). */
  readonly body: unknown;
  /**
   * The client's body bytes as received (see `InboundRequest.rawBody`). Send these when
   * the body is unchanged; send a serialisation of `body` only when it was translated or
   * the plugin changes it.
   */
  readonly rawBody: Uint8Array;
  /** True when `body` was produced by a translator (then `rawBody` is the client's original). */
  readonly translated: boolean;
  readonly model: string | undefined;
  readonly stream: boolean;
  /**
   * The conversation key the route protocol's `describe` read (`RequestFacts.sessionKey`),
   * when it found one: for an account type that spreads one account's requests over
   * several credentials and keeps each conversation on one of them. Absent when the
   * request names no session. It is the client's value: hash it before storing it.
   */
  readonly sessionKey?: string;
}

/** One upstream call: the request and the account to send it with. */
export interface UpstreamCall<C> extends AccountContext<C> {
  readonly request: RelayRequest;
}

/**
 * What an adapter returns once upstream answered. The core streams `body` to the client
 * as it arrives. A non-2xx status is classified (see `classifyError`) and may fail over
 * to another account before anything reaches the client.
 *
 * Build one with `callUpstream` (which sends the request) or `upstreamResponse` (from
 * parts you have); both give it `text()` and `json()`.
 */
export interface UpstreamResponse {
  status: number;
  /** Lower-cased response headers to pass to the client (hop-by-hop headers are dropped by the core). */
  headers: Record<string, string | string[] | undefined>;
  body: Readable | AsyncIterable<Uint8Array>;
  /**
   * Converts `body` (the upstream's own bytes) into what the client's protocol expects,
   * chunk by chunk, as the core reads it (see {@link BodyTransform}); without it `body` is
   * relayed as it is. Cheaper than a stream wrapping `body` for a converted stream on the
   * hot path: the core applies it inline, before the stream-start check and the usage tap.
   */
  bodyTransform?: BodyTransform;
  /**
   * Usage, when the adapter reads it itself. Without it the core taps the body with the
   * request protocol's usage codec.
   */
  usage?: Promise<Usage | null>;
  /**
   * The provider's id of what answered, when the adapter called something other than the
   * requested model's id (an inference profile, a regional model id, a deployment): kept
   * on the usage record as `servedModel`, for operators. It never prices the answer by itself.
   */
  servedModel?: string;
  /**
   * A price-table key to price this answer by, looked up before the model upstream named:
   * for a variant of a model the plugin prices apart (a regional endpoint at a premium).
   * When no entry matches it, the answer is priced by its model as usual. Price tables of
   * every plugin are merged, so use ids only your provider uses.
   */
  priceModel?: string;
  /**
   * Called once when the request's usage record is built (after the body ended), with the
   * usage read from the answer: returns markers to keep on the record as `flags` (e.g.
   * `usage_mismatch` when the provider's own counts disagree with the usage it reported),
   * or none. It must not throw (an exception is logged and ignored).
   */
  usageFlags?(usage: Usage | null): readonly string[];
  /**
   * Reads the whole of `body` (through `bodyTransform` when there is one) and decodes it as UTF-8, for an adapter that looks at an
   * answer instead of relaying it (a status call, an error hidden in a 200). It consumes
   * `body`: return a new response (`upstreamResponse`) if the client is to get it. Reads
   * `this.body`, so a copy with another body (`{ ...response, body }`) reads its own.
   */
  text(): Promise<string>;
  /**
   * Reads the whole of `body` as JSON (as {@link UpstreamResponse.text} does).
   *
   * @throws SyntaxError when the body is not JSON.
   */
  json(): Promise<unknown>;
}

/** Sends requests upstream for one account type. */
export interface UpstreamAdapter<C> {
  /**
   * Sends the request. Throws an {@link UpstreamError} for failures without an HTTP
   * answer worth relaying (connect errors are classified by the core as `network`).
   */
  send(call: UpstreamCall<C>): Promise<UpstreamResponse>;
}

/** Keeps OAuth-style credentials fresh. The core calls it under a lock shared by every gateway instance. */
export interface CredentialRefresher<C> {
  /** True when the credentials should be refreshed now (e.g. expiring within five minutes). */
  isDue(credentials: C, now: Date): boolean;
  /** Returns the changed credential fields; they are merged, validated and stored encrypted. */
  refresh(context: AccountContext<C>): Promise<Partial<C>>;
}

/** The result of an account probe (the admin's "test" button). */
export interface ProbeResult {
  ok: boolean;
  /** A short, secret-free message for the admin. */
  message?: string;
  /** Extra details to show (subscription tier, usage windows). */
  details?: Record<string, unknown>;
}

/** A step an operator takes in the admin to connect an account (OAuth, device code, pasted token). */
export interface AuthFlowStart {
  /** Opaque state the core keeps (encrypted, short-lived) and hands back to `complete`. */
  state: Record<string, unknown>;
  /** A URL the operator opens. */
  authorizationUrl?: string;
  /** A code the operator types in (device-code flows). */
  userCode?: string;
  /** Where to type `userCode`. */
  verificationUrl?: string;
  /** What to do next, in one or two sentences. */
  instructions?: string;
  /** Fields the operator fills in before `complete` (e.g. the pasted code), as an object schema. */
  input?: z.ZodObject;
  /** For device-code flows: how often the admin should call `complete`. */
  pollIntervalMs?: number;
}

/** The outcome of completing an auth flow. */
export type AuthFlowOutcome<C> =
  { status: 'pending' } | { status: 'done'; credentials: C; suggestedName?: string; settings?: Record<string, unknown> };

/** What an auth flow step gets. */
export interface AuthFlowContext {
  readonly http: HttpClient;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** An interactive way to obtain credentials, driven generically by the admin. */
export interface AuthFlow<C> {
  /** Unique within the account type, e.g. `pkce`, `setup-token`, `device-code`. */
  id: string;
  label: string;
  start(context: AuthFlowContext): Promise<AuthFlowStart>;
  complete(context: AuthFlowContext, state: Record<string, unknown>, input: Record<string, string>): Promise<AuthFlowOutcome<C>>;
}

/** An upstream error answer, as the core hands it to `classifyError`. */
export interface UpstreamErrorResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The error body (capped at 64 KiB). */
  body: Uint8Array;
}

/**
 * The models an account type serves by default. Patterns are exact model ids or globs
 * where `*` matches any run of characters (`"acme-*"`, `"acme-large-2*"`), the one syntax the
 * core validates in `settings.models` for every account type.
 *
 * @example
 * ```ts
 * models: { defaults: ['echo-*'] }
 * ```
 */
export interface ModelCatalog {
  /**
   * The type's provider families, e.g. `['acme-*', 'acme-open-*']`; never `['*']` for a
   * provider's own API. May be empty when {@link ModelCatalog.fromSettings} names what an
   * account serves.
   */
  defaults: readonly string[];
  /**
   * The models an account's own settings name, admitted in addition to the defaults (or
   * to `settings.models`), like the keys of `settings.modelMapping`: for types whose
   * accounts serve exactly what they configure, such as a map of model names to the
   * deployments of a cloud resource. Gets the validated settings; must not throw. Entries
   * that are not valid model patterns are ignored.
   *
   * @example
   * ```ts
   * models: { defaults: [], fromSettings: (settings) => Object.keys(settings.deployments ?? {}) }
   * ```
   */
  fromSettings?(settings: Readonly<Record<string, unknown>>): readonly string[];
  /**
   * A model-id prefix the type claims, for an upstream that routes by a model naming
   * convention of its own (`'router,'` for models such as `router,vendor,model-x`). An
   * account of the type admits only models that start with it (its patterns, which name
   * whole ids such as `'router,*'`, narrow further), and an account of any other type
   * never admits one, whatever its patterns say: a request for such a model is served by
   * this type or answered "model not found". The model reaches the adapter as the client
   * sent it; the adapter removes the prefix before calling upstream. At most one loaded
   * type may claim a prefix, and no claimed prefix may start with another.
   *
   * @example
   * ```ts
   * models: { defaults: ['router,*'], prefix: 'router,' }
   * ```
   */
  prefix?: string;
}

/**
 * The credentials of an account whose type's schema is `S`, as every hook gets them:
 * what `S` parses to, with the optional `baseUrl` every account type accepts.
 */
export type AccountCredentials<S extends z.ZodObject> = z.output<S> & { baseUrl?: string };

/**
 * One kind of upstream credential (an OAuth subscription, an API key) and how to call
 * upstream with it. Generic over its credentials schema `S`: the credentials every hook
 * gets are `C`, what `S` parses to. Write it with {@link defineAccountType} so `C` is
 * inferred from `credentials`.
 */
export interface AccountTypeDefinition<S extends z.ZodObject = z.ZodObject, C = AccountCredentials<S>> {
  /** `<plugin>-<name>`, e.g. `echo-key`. */
  id: string;
  label: string;
  description?: string;
  /**
   * The credential schema, an object; mark secret fields with `secret()`. Every account
   * type also accepts an optional `baseUrl` (origin plus optional path prefix, without the
   * API version: split a trailing one off with `splitBaseUrl`) replacing
   * the provider's default endpoint; the core adds it when the schema lacks it.
   */
  credentials: S;
  /** Non-secret per-account settings (model mapping, quotas), as an object schema. */
  settings?: z.ZodObject;
  /**
   * Protocol ids this account type serves natively. Translators extend the reach. An
   * entry `{ protocol, whenAvailable: true }` is served only when a loaded plugin defines
   * the protocol (see `OptionalServedProtocol`); a plain id must be defined by a
   * loaded plugin, or the gateway refuses to start.
   */
  serves: readonly ServedProtocol[];
  /**
   * The models accounts of this type serve by default, as patterns (see {@link ModelCatalog}).
   * The core decides for every type whether an account admits a model: `settings.models`
   * when it lists patterns (narrowing these defaults, or widening them with `"*"`),
   * otherwise these defaults; the keys of `settings.modelMapping` and the models
   * `fromSettings` names are admitted too.
   * Absent: every model of the protocols the type serves (for generic test types; a
   * provider's type should name its provider's model families).
   */
  models?: ModelCatalog;
  /** Model ids this account offers, for model lists. */
  listModels?(account: AccountView): readonly string[];
  /** Sends requests upstream. */
  adapter: UpstreamAdapter<C>;
  /** Token refresh, for credentials that expire. */
  refresh?: CredentialRefresher<C>;
  /** A cheap check that the account works, with details for the admin. */
  probe?(context: AccountContext<C>): Promise<ProbeResult>;
  /** Interactive ways to obtain credentials. */
  authFlows?: readonly AuthFlow<C>[];
  /**
   * Classifies an upstream error answer. Return undefined to use the core's default
   * (429 rate_limited, 529 overloaded, 401 auth_failed, 403 forbidden, other 4xx
   * bad_request, 5xx upstream_5xx, with `retry-after` honoured).
   */
  classifyError?(response: UpstreamErrorResponse): UpstreamError | undefined;
  /** Most requests one account of this type may serve at once, unless the account sets its own. */
  defaultMaxConcurrency?: number;
  /** How records of other gateways' data become accounts of this type (`switchyard import`). */
  imports?: readonly AccountImport[];
}

/**
 * Declares an account type. It returns its argument unchanged; its use is inference:
 * the credentials type of every hook comes from the `credentials` schema, so a hook that
 * reads a field the schema lacks does not compile.
 *
 * @example
 * ```ts
 * export const acmeKeyAccountType = defineAccountType({
 *   id: 'acme-key',
 *   label: 'Acme API key',
 *   credentials: z.object({ apiKey: secret(z.string().min(1)), baseUrl: z.string().url().optional() }),
 *   serves: ['acme-chat'],
 *   adapter: { send: (call) => sendToAcme(call, call.credentials.apiKey) },
 * });
 * ```
 */
export function defineAccountType<S extends z.ZodObject>(definition: AccountTypeDefinition<S>): AccountTypeDefinition<S> {
  return definition;
}
