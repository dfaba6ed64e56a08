/**
 * A translator lets a client speaking protocol `from` be served by an account that
 * speaks protocol `to`: request, unary response and stream are converted. Translators
 * may bridge other plugins' protocols: one whose `from` or `to` protocol no loaded plugin
 * defines is left out at startup, with a warning naming the plugin and the protocol.
 */
export interface TranslatorDefinition {
  /** The client's protocol id. */
  from: string;
  /** The upstream protocol id. */
  to: string;
  /** What the conversion drops or approximates, for the docs and the admin. */
  lossy?: readonly string[];
  /** Converts the client's request body; may rename the operation for the upstream protocol. */
  request(body: unknown, context: TranslationContext): TranslatedRequest;
  /** Converts a unary upstream response body (JSON) into the client's protocol. */
  response(body: unknown, context: TranslationContext): unknown;
  /** Converts an upstream error body into the client's protocol; the status is kept. */
  error?(body: unknown, status: number, context: TranslationContext): unknown;
  /** A fresh converter for one streamed response. */
  createStream(context: TranslationContext): StreamTranslator;
}

/** What a translator knows about the request it converts. */
export interface TranslationContext {
  /**
   * The model to serve: the one the client asked for, or what a key's or group's model
   * alias made of it. Put it in the upstream request instead of the body's own model.
   */
  model?: string;
  /** Whether the client asked for a stream. */
  stream: boolean;
  /** The route's operation name. */
  operation: string;
  /**
   * The client's request body as parsed (before translation), so response and stream
   * converters can honour request options such as `stream_options.include_usage`.
   * Optional: absent when the core has no body to give.
   */
  clientBody?: unknown;
}

/** A translated request body. */
export interface TranslatedRequest {
  body: unknown;
  /** The operation to ask the upstream adapter for; defaults to the route's. */
  operation?: string;
  /** Whether the upstream call streams; defaults to the client's choice. */
  stream?: boolean;
}

/** Converts one streamed response, chunk by chunk. Output is written to the client as it is returned. */
export interface StreamTranslator {
  /** Takes upstream bytes; returns what to send to the client now (possibly nothing). */
  push(chunk: Uint8Array): string | Uint8Array | null;
  /** Called after the upstream stream ended; returns any final frames. */
  end(): string | Uint8Array | null;
}
