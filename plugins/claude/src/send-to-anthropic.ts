/**
 * The upstream call both Claude account types share: the endpoint for the route's
 * operation under the account's `baseUrl` (or the plugin's API origin), the client's
 * query (`?beta=true`) and headers forwarded as they came, the credential set in its
 * slot by the account type, and the client's bytes unless the body had to change.
 */
import { callUpstream, splitBaseUrl, type RelayRequest, type UpstreamCall, type UpstreamResponse } from '@switchyard/plugin-api';

const MESSAGES_PATH = '/v1/messages';

/** Upstream paths per route operation; other operations keep the client's path. */
const OPERATION_PATHS: Readonly<Record<string, string>> = {
  messages: MESSAGES_PATH,
  count_tokens: '/v1/messages/count_tokens',
};

/** The API version sent for translated requests, whose clients name none. */
export const ANTHROPIC_VERSION = '2023-06-01';

/** What the account type decides for one call. */
export interface AnthropicCallPlan {
  /** The API origin (plus optional path prefix) to call. */
  baseUrl: string;
  /** Sets the credential on the forwarded headers (and removes any competing one). */
  authorize(headers: Record<string, string>): void;
  /** A replacement body (e.g. a mapped model); default: the client's bytes. */
  body?: string;
}

/** `{baseUrl}{path}?{query}` for the request; a `/v1` ending the baseUrl is not doubled. */
export function anthropicUrl(baseUrl: string, request: RelayRequest): string {
  // A translated request (another protocol's route) has a path of its own: it goes to messages.
  const path = OPERATION_PATHS[request.operation] ?? (request.translated ? MESSAGES_PATH : request.path);
  const query = request.query.toString();
  return `${splitBaseUrl(baseUrl).root}${path}${query ? `?${query}` : ''}`;
}

/** The origin of a URL, for log messages that must not carry anything else. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the Anthropic upstream';
  }
}

/** Sends the request upstream; every HTTP answer is returned, connection failures throw `network`. */
export async function sendToAnthropic(call: UpstreamCall<unknown>, plan: AnthropicCallPlan): Promise<UpstreamResponse> {
  const { request, http, signal } = call;
  const url = anthropicUrl(plan.baseUrl, request);
  // Object.assign, not a spread: adding keys to a spread copy is slow in Node 20's V8.
  const headers: Record<string, string> = Object.assign({}, request.headers);
  headers['content-type'] ??= 'application/json';
  // Anthropic requires a version; a client of another protocol (translated) sends none.
  if (request.translated) headers['anthropic-version'] ??= ANTHROPIC_VERSION;
  plan.authorize(headers);
  const body = plan.body ?? (request.translated ? JSON.stringify(request.body) : request.rawBody);
  return callUpstream(http, url, { method: request.method, headers, body, signal }, 'Anthropic');
}
