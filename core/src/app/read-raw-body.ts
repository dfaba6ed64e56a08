import type { IncomingMessage } from 'node:http';
import { GatewayError } from '../plugin-api/index.js';

/** Reads a request body the JSON parser did not take (other content types), up to `limitBytes`. */
export async function readRawBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) throw new GatewayError('payload_too_large', 'The request body is larger than this gateway accepts.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new GatewayError('payload_too_large', 'The request body is larger than this gateway accepts.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
