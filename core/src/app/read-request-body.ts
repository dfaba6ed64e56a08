/**
 * Receives a request body into memory, within two bounds: the route's body limit (413)
 * and the process-wide {@link BodyBudget} (503 with Retry-After). A declared
 * Content-Length is checked and reserved before a byte is read; a chunked body is
 * counted as it arrives. The reservation is given back when the response is over,
 * whichever way it ends. A refused body is drained and dropped (the connection stays
 * usable, and the request timeout still bounds a client that keeps sending).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '@switchyard/plugin-api';
import type { BodyBudget } from './body-budget.js';
import { inviteBody } from './expect-continue.js';

/** The client closed the connection before its request body was complete. */
export class ClientLeftError extends Error {
  override readonly name = 'ClientLeftError';
  constructor() {
    super('client left while sending the request body');
  }
}

/** How long a client refused for the body budget is asked to wait before retrying. */
export const BODY_BUDGET_RETRY_AFTER_MS = 2000;

const EMPTY = Buffer.alloc(0);

function tooLarge(): GatewayError {
  return new GatewayError('payload_too_large', 'The request body is larger than this gateway accepts.');
}

/** The answer to a body that would take the process beyond `server.maxBufferedBodyMb`. */
export function bodyBudgetExceeded(): GatewayError {
  return new GatewayError('gateway_busy', 'The gateway is receiving too many large requests at once; retry shortly.', {
    retryAfterMs: BODY_BUDGET_RETRY_AFTER_MS,
  });
}

/**
 * Reads the body of `req` (as received: still content-encoded) and keeps its bytes
 * reserved in `budget` until `res` closes.
 *
 * @throws GatewayError `payload_too_large`, `gateway_busy`; {@link ClientLeftError}.
 */
export function readRequestBody(
  req: IncomingMessage,
  res: ServerResponse,
  limitBytes: number,
  budget: BodyBudget,
): Promise<Buffer> {
  const header = req.headers['content-length'];
  // Node's parser lets only digits through; Number() compares any length of them correctly.
  const declared = header === undefined ? undefined : Number(header);
  if (declared !== undefined && declared > limitBytes) return Promise.reject(tooLarge());
  if (req.complete && req.readableLength === 0) return Promise.resolve(EMPTY);
  if (req.destroyed) return Promise.reject(new ClientLeftError());

  let reserved = 0;
  if (declared !== undefined && declared > 0) {
    if (!budget.tryReserve(declared)) return Promise.reject(bodyBudgetExceeded());
    reserved = declared;
  }
  const giveBack = (): void => {
    budget.release(reserved);
    reserved = 0;
  };
  res.once('close', giveBack);
  inviteBody(req, res);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onGone);
    };
    const refuse = (error: Error): void => {
      cleanup();
      chunks.length = 0;
      giveBack();
      // Drain and drop the rest, so the answer reaches a client that is still sending.
      req.resume();
      reject(error);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limitBytes) return refuse(tooLarge());
      if (declared === undefined) {
        if (!budget.tryReserve(chunk.length)) return refuse(bodyBudgetExceeded());
        reserved += chunk.length;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    }
    function onGone(): void {
      if (req.complete) return;
      cleanup();
      chunks.length = 0;
      giveBack();
      reject(new ClientLeftError());
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onGone);
  });
}
