/**
 * Writes a whole upstream body the way a network delivers it: in small pieces, with a
 * turn of the event loop between them, so frames (and UTF-8 sequences) arrive split
 * across reads.
 */
import type http from 'node:http';

/**
 * Writes `body` in `pieceBytes`-sized pieces, yielding to the event loop after each,
 * then ends the response. The headers must already be written (or are sent implicitly).
 *
 * @param res - The fake upstream's response.
 * @param body - The whole body (for example an SSE stream as text).
 * @param pieceBytes - Bytes per write; odd sizes split frames at awkward places.
 *
 * @example
 * ```ts
 * res.writeHead(200, { 'content-type': 'text/event-stream' });
 * await writeInPieces(res, fixture.stream, 97);
 * ```
 */
export async function writeInPieces(res: http.ServerResponse, body: string | Uint8Array, pieceBytes: number): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  for (let offset = 0; offset < bytes.length; offset += pieceBytes) {
    res.write(bytes.subarray(offset, offset + pieceBytes));
    await new Promise((resolve) => setImmediate(resolve));
  }
  res.end();
}
