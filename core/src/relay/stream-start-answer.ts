/**
 * The error answer a 2xx stream's first event may stand for. Some upstreams answer 200
 * and report a failure (an overload, a rate limit) as the first event of the stream; the
 * upstream protocol's `streamStartError` reads that event, and the attempt then fails
 * like the matching HTTP error answer while nothing has reached the client.
 */
import { performance } from 'node:perf_hooks';
import {
  headerValue,
  type Logger,
  type ProtocolDefinition,
  type UpstreamErrorResponse,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { addUpstreamWait } from '../metrics/upstream-timing.js';
import { decodedBody, isReadableEncoding } from './pump-response.js';
import { discardBody, readStreamStart } from './read-stream-start.js';

/** Converted bytes read at a stream's start, by response, when a body transform applies (see {@link convertedHead}). */
const heads = new WeakMap<UpstreamResponse, Buffer>();

/**
 * The converted bytes {@link streamStartAnswer} read from `response` through its
 * `bodyTransform`, to relay before the rest of its body (handed over once).
 */
export function takeConvertedHead(response: UpstreamResponse): Buffer | undefined {
  const head = heads.get(response);
  if (head !== undefined) heads.delete(response);
  return head;
}

/** True for a `text/event-stream` answer. */
export function isEventStream(headers: UpstreamResponse['headers']): boolean {
  return headerValue(headers['content-type'])?.includes('event-stream') === true;
}

/** `headers` without the body's encoding and length (the body is handed on decoded). */
function decodedHeaders(headers: UpstreamResponse['headers']): UpstreamResponse['headers'] {
  const out: UpstreamResponse['headers'] = {};
  for (const name in headers) if (name !== 'content-encoding' && name !== 'content-length') out[name] = headers[name];
  return out;
}

function validStatus(status: unknown): number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 502;
}

/**
 * Reads the first event of `response` (an event stream) and asks the upstream protocol's
 * `streamStartError` about it.
 * `response.body` is replaced by the same body with what was read put back (decoded, and
 * the encoding header dropped, when upstream compressed it), or, when the adapter gave a
 * body transform, with what was read kept converted (`takeConvertedHead`). Resolves to the error
 * answer the event stands for (the body is then discarded), or undefined for a normal
 * start. Rejects when the body fails or the client leaves before the first event.
 */
export async function streamStartAnswer(
  response: UpstreamResponse,
  protocol: ProtocolDefinition,
  signal: AbortSignal,
  log: Logger,
): Promise<UpstreamErrorResponse | undefined> {
  const encoding = headerValue(response.headers['content-encoding'])?.trim().toLowerCase();
  // A body the gateway cannot decode is relayed as it comes, unread.
  if (!isReadableEncoding(encoding)) return undefined;
  const body = decodedBody(response.body, encoding);
  if (encoding && encoding !== 'identity') response.headers = decodedHeaders(response.headers);
  const waitStarted = performance.now();
  let start;
  try {
    start = await readStreamStart(body, signal, protocol.streamStartEvents, response.bodyTransform);
  } finally {
    addUpstreamWait(signal, performance.now() - waitStarted);
  }
  response.body = start.body;
  if (start.head !== undefined) heads.set(response, start.head);
  if (start.first === undefined) return undefined;
  let failure: ReturnType<NonNullable<ProtocolDefinition['streamStartError']>>;
  try {
    failure = protocol.streamStartError?.(start.first);
  } catch (error) {
    log.error('streamStartError failed; the stream is relayed', { error });
    return undefined;
  }
  if (!failure) return undefined;
  discardBody(start.body);
  const headers: UpstreamResponse['headers'] = decodedHeaders(response.headers);
  headers['content-type'] = 'application/json';
  const errorBody = typeof failure.body === 'string' ? Buffer.from(failure.body, 'utf8') : failure.body;
  return { status: validStatus(failure.status), headers, body: errorBody };
}
