/**
 * One call to a Factory endpoint: the endpoint kind serving the request's protocol
 * under the account's API origin, the client's query and headers as they came, the
 * credential as `Authorization: Bearer`, and the client's bytes unless a translator
 * produced the body. Nothing is added to the request: no system prompt, no client
 * headers Factory's own CLI would send.
 */
import {
  UpstreamError,
  callUpstream,
  splitBaseUrl,
  type RelayRequest,
  type UpstreamCall,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { DROID_ENDPOINTS, endpointKindOf } from './droid-endpoints.js';
import { ANTHROPIC_MESSAGES } from './protocol-ids.js';

/** The Anthropic API version sent for translated requests, whose clients name none. */
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The API root of an origin an operator typed: trailing slashes, a trailing API version
 * and a trailing `/api/llm` (the prefix of Factory's LLM endpoints) are dropped, so
 * `https://api.factory.ai/api/llm` works as well as `https://api.factory.ai`.
 */
export function factoryRoot(baseUrl: string): string {
  return splitBaseUrl(baseUrl).root.replace(/\/api\/llm$/, '');
}

/** The upstream URL of a request: its protocol's endpoint under the root, with the client's query. */
export function factoryUrl(baseUrl: string, request: RelayRequest): string {
  const kind = endpointKindOf(request.protocol);
  if (!kind) throw new UpstreamError('bad_request', `droid accounts do not serve the ${request.protocol} protocol`);
  const query = request.query.toString();
  return `${factoryRoot(baseUrl)}${DROID_ENDPOINTS[kind].path}${query ? `?${query}` : ''}`;
}

/** Sends the request with `token`; every HTTP answer is returned, connection failures throw `network`. */
export function sendToFactory(
  call: UpstreamCall<unknown>,
  baseUrl: string,
  token: string,
  body?: string,
): Promise<UpstreamResponse> {
  const { request, http, signal } = call;
  const url = factoryUrl(baseUrl, request);
  // Object.assign, not a spread: adding keys to a spread copy is slow in Node 20's V8.
  const headers: Record<string, string> = Object.assign({}, request.headers);
  headers.authorization = `Bearer ${token}`;
  headers['content-type'] ??= 'application/json';
  if (request.translated && request.protocol === ANTHROPIC_MESSAGES) headers['anthropic-version'] ??= ANTHROPIC_VERSION;
  // The core taps the body for usage: ask for bytes it can read.
  headers['accept-encoding'] = 'identity';
  const payload = body ?? (request.translated ? JSON.stringify(request.body) : request.rawBody);
  return callUpstream(http, url, { method: 'POST', headers, body: payload, signal }, 'Factory');
}
