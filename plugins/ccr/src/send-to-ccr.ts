/**
 * The upstream call of a CCR account: the Anthropic Messages endpoint for the route's
 * operation under the account's `baseUrl`, the client's query and headers as they came,
 * the account's key in the slot its kind expects, and the body with the `ccr,` prefix
 * removed from `model` (the only change; every other field is kept as the client sent it).
 */
import {
  callUpstream,
  isRecord,
  splitBaseUrl,
  type RelayRequest,
  type UpstreamCall,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { upstreamModel } from './ccr-model.js';
import { withCcrUsage } from './ccr-usage-tap.js';

const MESSAGES_PATH = '/v1/messages';

/** Upstream paths per route operation; other operations keep the client's path. */
const OPERATION_PATHS: Readonly<Record<string, string>> = {
  messages: MESSAGES_PATH,
  count_tokens: '/v1/messages/count_tokens',
};

/** The Anthropic API version sent for translated requests, whose clients name none. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** `{root}{path}?{query}` for the request; a `/v1` ending the baseUrl is not doubled. */
export function ccrUrl(baseUrl: string, request: RelayRequest): string {
  const path = OPERATION_PATHS[request.operation] ?? (request.translated ? MESSAGES_PATH : request.path);
  const query = request.query.toString();
  return `${splitBaseUrl(baseUrl).root}${path}${query ? `?${query}` : ''}`;
}

/**
 * Sets the key in its slot, removing any other credential header: an Anthropic key
 * (`sk-ant-…`) as `x-api-key`, any other key (a router's `APIKEY`) as `Authorization: Bearer`.
 */
export function authorizeWithApiKey(headers: Record<string, string>, apiKey: string): void {
  delete headers['x-api-key'];
  delete headers.authorization;
  if (apiKey.startsWith('sk-ant-')) headers['x-api-key'] = apiKey;
  else headers.authorization = `Bearer ${apiKey}`;
}

/**
 * The body to send: the parsed body with `model` stripped of the prefix (re-serialised
 * onto a null-prototype object, so a client's own `__proto__` key stays a key). A body
 * that is not a JSON object goes as the client's bytes.
 */
export function ccrBody(request: RelayRequest): string | Uint8Array {
  if (!isRecord(request.body) || typeof request.body.model !== 'string') {
    return request.translated ? JSON.stringify(request.body) : request.rawBody;
  }
  const model = upstreamModel(request.body.model);
  if (model === request.body.model && !request.translated) return request.rawBody;
  return JSON.stringify(Object.assign(Object.create(null) as Record<string, unknown>, request.body, { model }));
}

/** Sends the request to the account's router; every HTTP answer is returned, connection failures throw `network`. */
export async function sendToCcr(call: UpstreamCall<{ apiKey: string; baseUrl: string }>): Promise<UpstreamResponse> {
  const { request, http, signal, credentials } = call;
  const headers: Record<string, string> = Object.assign({}, request.headers);
  headers['content-type'] ??= 'application/json';
  if (request.translated) headers['anthropic-version'] ??= ANTHROPIC_VERSION;
  // The adapter reads usage from the bytes: ask for bytes it can read.
  headers['accept-encoding'] = 'identity';
  authorizeWithApiKey(headers, credentials.apiKey);
  const url = ccrUrl(credentials.baseUrl, request);
  const response = await callUpstream(http, url, { method: request.method, headers, body: ccrBody(request), signal }, 'CCR');
  return withCcrUsage(response, request.model);
}
