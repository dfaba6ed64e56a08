/**
 * The `echo` protocol: what clients of the echo route send and how errors and usage
 * look to them.
 *
 * Request: `{ "model": "echo-1", "input": "hello", "stream": false, "session": "s-1" }`.
 */
import {
  formatSse,
  type InboundRequest,
  type ProtocolDefinition,
  type RenderableError,
  type RequestFacts,
  withJsonBodyModel,
} from '@switchyard/plugin-api';
import { echoUsageCodec } from './echo-usage-codec.js';

/** The echo protocol id, referenced by the route and the account type. */
export const ECHO_PROTOCOL = 'echo';

function describeEcho(request: InboundRequest): RequestFacts {
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {};
  const facts: RequestFacts = { stream: body.stream === true };
  if (typeof body.model === 'string' && body.model !== '') facts.model = body.model;
  const session = typeof body.session === 'string' && body.session !== '' ? body.session : request.headers['x-echo-session'];
  if (session) facts.sessionKey = session;
  return facts;
}

function errorBody(error: RenderableError): { error: { type: string; message: string } } {
  return { error: { type: error.code, message: error.message } };
}

/** The echo protocol definition. */
export const echoProtocol: ProtocolDefinition = {
  id: ECHO_PROTOCOL,
  family: 'echo',
  label: 'Echo',
  describe: describeEcho,
  // The model is the body's `model` field: a key's or group's model alias can rename it.
  withModel: (request, model) => withJsonBodyModel(request, model),
  renderError(error) {
    const rendered: { status: number; body: unknown; headers?: Record<string, string> } = {
      status: error.status,
      body: errorBody(error),
    };
    if (error.retryAfterMs !== undefined)
      rendered.headers = { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) };
    return rendered;
  },
  renderStreamError(error) {
    return formatSse(errorBody(error), 'error');
  },
  usage: echoUsageCodec,
};
