/**
 * Bedrock's errors in Anthropic's shape, and their kinds for the scheduler.
 *
 * Bedrock answers an error with a status, an `x-amzn-errortype` header
 * (`ThrottlingException:http://internal.amazon.com/...`) and `{"message": "..."}`; in an
 * event stream, with an exception frame (`:exception-type` `throttlingException`, ...).
 * Both become Anthropic's `{"type":"error","error":{"type","message"}}`, so Claude Code
 * and the Anthropic SDKs read them as they read Anthropic's own, and the account type's
 * `classifyError` reads the kind from the exception name:
 *
 * - throttling (429, ThrottlingException; ServiceQuotaExceededException): `rate_limited`,
 *   honouring `retry-after` when AWS sends one;
 * - ServiceUnavailable (503), ModelNotReady: `overloaded`;
 * - UnrecognizedClient, InvalidSignature, ExpiredToken, IncompleteSignature, AccessDenied:
 *   `auth_failed`, except an AccessDenied for a model the account has no access to, which
 *   is `forbidden` with a message naming the model and region;
 * - ValidationException and other 4xx: the client's error (`bad_request`, no cooldown).
 */
import {
  UpstreamError,
  flattenHeaders,
  headerValue,
  isRecord,
  parseJsonBytes,
  parseRetryAfter,
  type UpstreamErrorKind,
  type UpstreamErrorResponse,
} from '@switchyard/plugin-api';

/** The header naming the exception of a Bedrock error answer. */
export const ERROR_TYPE_HEADER = 'x-amzn-errortype';

/** Exception names (lower-case, without the `Exception` suffix) and the Anthropic error type they read as. */
const ANTHROPIC_TYPES: Readonly<Record<string, string>> = {
  throttling: 'rate_limit_error',
  servicequotaexceeded: 'rate_limit_error',
  serviceunavailable: 'overloaded_error',
  modelnotready: 'overloaded_error',
  unrecognizedclient: 'authentication_error',
  invalidsignature: 'authentication_error',
  incompletesignature: 'authentication_error',
  expiredtoken: 'authentication_error',
  accessdenied: 'permission_error',
  validation: 'invalid_request_error',
  resourcenotfound: 'not_found_error',
  modeltimeout: 'timeout_error',
  modelstreamerror: 'api_error',
  modelerror: 'api_error',
  internalserver: 'api_error',
};

/** Exceptions that say the credential itself was refused. */
const AUTH_EXCEPTIONS = new Set(['unrecognizedclient', 'invalidsignature', 'incompletesignature', 'expiredtoken']);
const MODEL_ACCESS = /access to the model|not authorized to invoke|model access/i;
const INVALID_MODEL = /model identifier is invalid|model not found|end of its life|doesn't support the model/i;
const NEEDS_PROFILE = /on-demand throughput isn.t supported/i;

/** `ThrottlingException:http://...` or `throttlingException` -> `throttling`. */
export function exceptionName(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const name = value.split(':')[0]!.trim().toLowerCase();
  return name.endsWith('exception') ? name.slice(0, -'exception'.length) : name;
}

/** The Anthropic error type of a Bedrock exception (by name, else by status). */
export function anthropicTypeOf(name: string | undefined, status: number): string {
  const known = name === undefined ? undefined : ANTHROPIC_TYPES[name];
  if (known) return known;
  if (status === 429) return 'rate_limit_error';
  if (status === 401 || status === 403) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 503) return 'overloaded_error';
  if (status >= 400 && status < 500) return 'invalid_request_error';
  return 'api_error';
}

/** Anthropic's error body as JSON text. */
export function anthropicErrorJson(type: string, message: string): string {
  return JSON.stringify({ type: 'error', error: { type, message } });
}

/** What the call was for, to name in messages about models. */
export interface BedrockErrorContext {
  /** The Bedrock model id called. */
  modelId: string;
  region: string;
}

/** Bedrock's error answer rewritten: status, Anthropic-shaped body, the headers worth keeping. */
export interface RewrittenError {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Reads Bedrock's error answer and rewrites it in Anthropic's shape, naming model and region where that helps. */
export function rewriteBedrockError(
  status: number,
  headers: UpstreamErrorResponse['headers'],
  body: Uint8Array,
  context: BedrockErrorContext,
): RewrittenError {
  const parsed = parseJsonBytes(body);
  const record = isRecord(parsed) ? parsed : {};
  const upstreamMessage =
    typeof record.message === 'string' ? record.message : typeof record.Message === 'string' ? record.Message : '';
  const name = exceptionName(
    headerValue(headers[ERROR_TYPE_HEADER]) ?? (typeof record.__type === 'string' ? record.__type : undefined),
  );
  let outStatus = status;
  let type = anthropicTypeOf(name, status);
  let message = `Bedrock ${status}${name ? ` (${name})` : ''}: ${upstreamMessage || 'no message'}`;
  if (name === 'accessdenied' && MODEL_ACCESS.test(upstreamMessage)) {
    message = `Bedrock model ${context.modelId} is not enabled for this AWS account in ${context.region}: ${upstreamMessage}`;
  } else if ((name === 'validation' || name === 'resourcenotfound') && INVALID_MODEL.test(upstreamMessage)) {
    outStatus = 404;
    type = 'not_found_error';
    message = `Bedrock has no model ${context.modelId} in ${context.region}: ${upstreamMessage}`;
  } else if (name === 'validation' && NEEDS_PROFILE.test(upstreamMessage)) {
    message = `Bedrock offers ${context.modelId} in ${context.region} only through an inference profile (set the account's inferenceProfile): ${upstreamMessage}`;
  }
  const kept: Record<string, string> = { 'content-type': 'application/json' };
  for (const name of [ERROR_TYPE_HEADER, 'x-amzn-requestid', 'retry-after']) {
    const value = headerValue(headers[name]);
    if (value !== undefined) kept[name] = value;
  }
  return { status: outStatus, body: anthropicErrorJson(type, message), headers: kept };
}

function errorOf(
  kind: UpstreamErrorKind,
  message: string,
  response: UpstreamErrorResponse,
  retryAfterMs?: number,
): UpstreamError {
  return new UpstreamError(kind, message, {
    status: response.status,
    headers: flattenHeaders(response.headers),
    body: response.body,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/**
 * Classifies a (rewritten) Bedrock error answer, or an `event: error` a stream began
 * with; undefined leaves it to the core's default (5xx `upstream_5xx`, 4xx `bad_request`).
 */
export function classifyBedrockError(response: UpstreamErrorResponse, now = Date.now()): UpstreamError | undefined {
  const { status, headers } = response;
  const name = exceptionName(headerValue(headers[ERROR_TYPE_HEADER]));
  const parsed = parseJsonBytes(response.body);
  const error = isRecord(parsed) && isRecord(parsed.error) ? parsed.error : {};
  const type = typeof error.type === 'string' ? error.type : undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);

  if (status === 429 || name === 'throttling' || name === 'servicequotaexceeded' || type === 'rate_limit_error') {
    return errorOf('rate_limited', `Bedrock throttled the request (${status})`, response, retryAfterMs);
  }
  if (
    status === 503 ||
    status === 529 ||
    name === 'serviceunavailable' ||
    name === 'modelnotready' ||
    type === 'overloaded_error'
  ) {
    return errorOf('overloaded', `Bedrock is unavailable (${status})`, response, retryAfterMs);
  }
  if ((name !== undefined && AUTH_EXCEPTIONS.has(name)) || status === 401 || type === 'authentication_error') {
    return errorOf('auth_failed', `Bedrock rejected the credentials (${status}${name ? ` ${name}` : ''})`, response);
  }
  if (name === 'accessdenied' || type === 'permission_error') {
    if (MODEL_ACCESS.test(message)) return errorOf('forbidden', 'Bedrock model not enabled for the account', response);
    return errorOf('auth_failed', `Bedrock denied access (${status})`, response);
  }
  if (status >= 400 && status < 500) return errorOf('bad_request', `Bedrock refused the request (${status})`, response);
  return undefined;
}
