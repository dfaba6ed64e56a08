/**
 * The Node server's `clientError` handler: what a connection gets when its bytes never
 * became a request (malformed headers, an unreadable Content-Length, headers or a body
 * that took longer than the request timeout). Node's own answer has an empty body; this
 * one says what was wrong in the gateway's neutral JSON error shape, logs at debug, and
 * closes the connection.
 */
import type { Duplex } from 'node:stream';
import type { Logger } from '@switchyard/plugin-api';

interface Answer {
  status: number;
  reason: string;
  type: string;
  message: string;
}

function answerFor(code: string | undefined): Answer {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        type: 'request_timeout',
        message: 'The request was not received in time.',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        type: 'invalid_request',
        message: 'The request headers are too large.',
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        reason: 'Payload Too Large',
        type: 'payload_too_large',
        message: 'The request chunk extensions are too large.',
      };
    case 'HPE_INVALID_CONTENT_LENGTH':
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return {
        status: 400,
        reason: 'Bad Request',
        type: 'invalid_request',
        message: 'The Content-Length header is not a valid byte count.',
      };
    default:
      return { status: 400, reason: 'Bad Request', type: 'invalid_request', message: 'The request is not valid HTTP.' };
  }
}

/** Builds the handler; attach it with `server.on('clientError', ...)`. */
export function answerClientError(log: Logger): (error: Error & { code?: string }, socket: Duplex) => void {
  return (error, socket) => {
    log.debug('client connection error', { code: error.code ?? error.name });
    // Answer only when nothing of a response went out on this connection yet (as Node does).
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) {
      const answer = answerFor(error.code);
      const body = JSON.stringify({ error: { type: answer.type, message: answer.message } });
      socket.write(
        `HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
