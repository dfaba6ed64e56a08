/**
 * A synchronous conversion of an upstream body, chunk by chunk, that the core applies
 * where it reads the body: for an upstream whose wire format differs from the protocol it
 * serves (a binary event stream relayed as server-sent events), without a stream of the
 * plugin's own between the upstream and the client.
 */

/**
 * Converts an upstream body as the core reads it. Return one from an adapter as
 * `UpstreamResponse.bodyTransform`, with `body` the upstream's own bytes: the core hands
 * each chunk it reads (after any `content-encoding` is undone) to {@link push} and treats
 * what comes back as the body, for everything it does with a body: the stream-start
 * check, the usage tap, a translator, the client. One transform serves one body; the core
 * calls its methods in order, synchronously, and never again after {@link end} or once
 * {@link ended} is true.
 *
 * A transform must not hold back converted bytes it could return (a client waits for
 * them): keep only what cannot be converted yet, such as an incomplete frame.
 *
 * @example
 * // An adapter relaying a framed binary stream as SSE (decoder: a synchronous frame decoder):
 * const decoder = new FrameToSseDecoder();
 * return upstreamResponse({
 *   status: response.status,
 *   headers: { 'content-type': 'text/event-stream' },
 *   body: response.body,
 *   bodyTransform: { push: (chunk) => decoder.push(chunk), end: () => decoder.end(), get ended() { return decoder.done; } },
 * });
 */
export interface BodyTransform {
  /**
   * Converts the next upstream chunk: the bytes to relay for it, none (`undefined` or
   * empty) when it completed nothing.
   *
   * @throws Error when the chunk cannot be converted (a corrupt frame): the core handles it
   * like a body that failed there (before anything reached the client, a `network` failure
   * that may fail over; later, the protocol's stream error ends the client's stream).
   */
  push(chunk: Uint8Array): Uint8Array | undefined;
  /**
   * The upstream body ended: the last bytes to relay, if any.
   *
   * @throws Error when the body ended where it must not (inside a frame), handled as by {@link push}.
   */
  end(): Uint8Array | undefined;
  /**
   * True once the converted body is complete although the upstream body may go on (a
   * frame that ends the stream): the core then stops reading, lets the upstream body go and
   * ends the answer as if the body had ended, without calling {@link end}.
   */
  readonly ended?: boolean;
}

/**
 * Every chunk of `chunks` through `transform`, the end's bytes included: for a consumer
 * that reads a body whole (an error answer, `UpstreamResponse.text()`).
 */
export async function* transformedChunks(
  chunks: AsyncIterable<Uint8Array | string>,
  transform: BodyTransform,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    const converted = transform.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    if (converted !== undefined && converted.length > 0) yield converted;
    if (transform.ended === true) return;
  }
  const last = transform.end();
  if (last !== undefined && last.length > 0) yield last;
}
