/**
 * Builds an {@link UpstreamResponse} from its parts, with `text()` and `json()` that read
 * the body, so an adapter can look at an answer as easily as it relays one.
 */
import type { UpstreamResponse } from './account-type.js';
import { transformedChunks } from './body-transform.js';

/**
 * The parts of an upstream answer: status, headers, body, and optionally the usage when the
 * adapter reads it itself, what served it and how to price it (`servedModel`, `priceModel`)
 * and the usage record's `usageFlags`.
 */
export type UpstreamResponseParts = Pick<
  UpstreamResponse,
  'status' | 'headers' | 'body' | 'bodyTransform' | 'usage' | 'servedModel' | 'priceModel' | 'usageFlags'
>;

/** Every chunk of `body` (through `transform` when given), concatenated. */
async function readAll(body: UpstreamResponse['body'], transform: UpstreamResponse['bodyTransform']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const source = body as AsyncIterable<Uint8Array | string>;
  for await (const chunk of transform ? transformedChunks(source, transform) : source) {
    chunks.push(
      typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
    );
  }
  return Buffer.concat(chunks);
}

/**
 * An upstream answer built from `parts`, with `text()` and `json()` reading its `body`.
 *
 * @example
 * // An adapter that relays what a streaming upstream sends, minus frames it filters out:
 * return upstreamResponse({ status: response.status, headers: response.headers, body: filtered(response.body) });
 */
export function upstreamResponse(parts: UpstreamResponseParts): UpstreamResponse {
  const response: UpstreamResponse = {
    status: parts.status,
    headers: parts.headers,
    body: parts.body,
    async text() {
      return (await readAll(this.body, this.bodyTransform)).toString('utf8');
    },
    async json() {
      return JSON.parse(await this.text()) as unknown;
    },
  };
  if (parts.bodyTransform !== undefined) response.bodyTransform = parts.bodyTransform;
  if (parts.usage !== undefined) response.usage = parts.usage;
  if (parts.servedModel !== undefined) response.servedModel = parts.servedModel;
  if (parts.priceModel !== undefined) response.priceModel = parts.priceModel;
  if (parts.usageFlags !== undefined) response.usageFlags = parts.usageFlags;
  return response;
}
