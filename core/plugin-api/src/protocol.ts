import type { SseEvent } from './sse.js';
import type { UsageCodec } from './usage.js';

/**
 * A request as the gateway received it on a plugin's route, before it is relayed.
 * Plugins read it; they never mutate it.
 */
export interface InboundRequest {
  readonly method: string;
  /** The path below the mount point, e.g. `/v1/messages` for `/api/v1/messages`. */
  readonly path: string;
  /** The mount point the request came in on, e.g. `/api` (empty string for the bare root). */
  readonly mount: string;
  /** Route parameters, by name. */
  readonly params: Readonly<Record<string, string>>;
  /** The query string, as sent, minus every `key` parameter (where clients put a Switchyard key; always removed). */
  readonly query: URLSearchParams;
  /** Request headers with lower-cased names, as received (repeated headers joined with `, `). */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body, or undefined for a request without a JSON body. */
  readonly body: unknown;
  /**
   * The client's body bytes, as received: read once, and `body` is parsed from them. Only
   * a content coding (`gzip`, `deflate`, `br`) is undone; a byte order mark, odd
   * whitespace, escapes and bytes that are not UTF-8 all stay. Forward these bytes
   * unless the plugin changes the body (a translator, a mapped model, an added field):
   * then, and only then, send a serialisation of the changed body. In `body`, bytes that
   * are not UTF-8 read as U+FFFD, so re-serialising an unchanged `body` is not the same.
   */
  readonly rawBody: Uint8Array;
}

/** What a protocol reads out of a request, for policies, scheduling and usage. */
export interface RequestFacts {
  /** The model the client asked for, as it named it. */
  model?: string;
  /** Whether the client asked for a streamed answer. */
  stream: boolean;
  /**
   * A stable key for the conversation, so the scheduler can keep it on one account and
   * the provider's prompt cache hits. Never derived from volatile content.
   */
  sessionKey?: string;
  /** True when the request carries a new user turn (not a tool result); used for account pacing. */
  userTurn?: boolean;
  /**
   * True when the request is not a model call at all (a setup, quota or status call), so
   * it names no model by design. A key with model rules refuses a relayed request whose
   * `model` is absent (or was unreadable: not a non-empty string) unless this is set;
   * never set it for a request that asks a model for anything.
   */
  modelless?: boolean;
}

/** An error the core asks a protocol to render for a client. */
export interface RenderableError {
  /** A code from the gateway's catalog (see `GatewayErrorCode`), or `upstream_error`. */
  code: string;
  /** The HTTP status the gateway answers with. */
  status: number;
  /** A message for a person; never contains a secret. */
  message: string;
  /** Milliseconds after which a retry makes sense, when known. */
  retryAfterMs?: number;
  /** Client-safe structured details (which limit, when it resets). */
  details?: Record<string, unknown>;
}

/** A rendered unary error: the core sets the status and headers and writes the body as JSON. */
export interface RenderedError {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/**
 * The HTTP error answer the first event of a 2xx stream stands for (see
 * {@link ProtocolDefinition.streamStartError}).
 */
export interface StreamStartError {
  /** The status of the matching HTTP error, e.g. 529 for an overload, 429 for a rate limit. */
  status: number;
  /**
   * An error body in this protocol's unary error shape (often the event's data as it is).
   * It reaches the client, translated when needed, if no other account can serve.
   */
  body: string | Uint8Array;
}

/**
 * A wire format clients speak (e.g. a chat API's JSON and SSE dialect). Routes accept
 * requests in one protocol; account types serve protocols.
 */
export interface ProtocolDefinition {
  /** Unique id, kebab-case; other plugins refer to the protocol by it. */
  id: string;
  /**
   * The permission family the protocol belongs to; a key's `permissions` name families,
   * so several protocols of one provider share a permission.
   */
  family: string;
  /** A short human name for the admin. */
  label?: string;
  /** Reads model, streaming flag and session key from a request. Must not throw on odd bodies. */
  describe(request: InboundRequest): RequestFacts;
  /** Renders an error as this protocol's error JSON. */
  renderError(error: RenderableError): RenderedError;
  /**
   * Renders an error as one stream frame (e.g. an SSE `event: error` frame), used once a
   * streamed response has started and the status line is already sent. Without it the
   * stream is simply ended.
   */
  renderStreamError?(error: RenderableError): string;
  /**
   * Reads the first server-sent event of a 2xx `text/event-stream` answer in this
   * protocol, for upstreams that answer 200 and then report a failure as the stream's
   * first event (an overload, a rate limit). Return the HTTP error answer the event
   * stands for, and the core treats the attempt exactly like that answer: classified by
   * the account type's `classifyError` (or the default, by status), the account cooled
   * down, the failure recorded with the account's errors, and the request failed over,
   * since nothing has reached the client yet. Return undefined for a normal start.
   *
   * With this hook the core holds the response status until the first event arrived
   * (the first event of a normal stream comes at once; a stream whose first event never
   * comes is ended by the upstream idle timeout, and fails over as a network error).
   * Must not throw; called once per streamed answer.
   */
  streamStartError?(event: SseEvent): StreamStartError | undefined;
  /**
   * The `event:` names `streamStartError` needs to see, e.g. `['error']`. A stream whose
   * first event is named otherwise on its first line starts at once without being parsed
   * (the cheap path for every normal stream). Absent: every first event is parsed and
   * handed over.
   */
  streamStartEvents?: readonly string[];
  /**
   * The same request asking for `model` instead of the model it names, for the core's
   * model aliases (a key's or group's table such as `big-model-4` -> `other-model-2`,
   * applied before scheduling). A protocol with the model in its JSON body sets it there
   * and re-serialises `rawBody` (see {@link withJsonBodyModel}); one with the model in
   * its path rewrites `path` and `params`. Return undefined when the request cannot name
   * another model. Without this hook, aliases do not apply on the protocol's routes.
   * Must not throw.
   */
  withModel?(request: InboundRequest, model: string): InboundRequest | undefined;
  /** How usage looks in this protocol's responses. */
  usage: UsageCodec;
}

/**
 * {@link ProtocolDefinition.withModel} for protocols that name the model in a top-level
 * field of a JSON object body: the body with `field` set to `model`, and `rawBody` its
 * serialisation (the client's bytes are replaced only because the body changed).
 *
 * @param request - The request as received.
 * @param model - The model to ask for.
 * @param field - The body field holding the model; default `model`.
 * @returns The changed request, or undefined when the body is not a JSON object.
 */
export function withJsonBodyModel(request: InboundRequest, model: string, field = 'model'): InboundRequest | undefined {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  // Spread keeps an own `__proto__` key of the client's JSON as data.
  const changed: Record<string, unknown> = { ...(body as Record<string, unknown>), [field]: model };
  return { ...request, body: changed, rawBody: new TextEncoder().encode(JSON.stringify(changed)) };
}
