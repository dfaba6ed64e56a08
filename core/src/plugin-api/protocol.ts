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
  /** The body bytes exactly as received. */
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
  /** How usage looks in this protocol's responses. */
  usage: UsageCodec;
}
