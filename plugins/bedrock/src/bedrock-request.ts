/**
 * The Bedrock call for one Messages request: the body Bedrock's Anthropic models take
 * (the client's body minus `model` and `stream`, plus `anthropic_version` and the
 * `anthropic-beta` header's values as `anthropic_beta`), the `/model/{id}/invoke` or
 * `/invoke-with-response-stream` URL, and the headers, signed with SigV4 (service
 * `bedrock`) or carrying the Bedrock API key as a bearer token.
 */
import { isRecord, splitBaseUrl, type RelayRequest } from '@switchyard/plugin-api';
import { defaultBedrockUrl, type BedrockCredentials } from './bedrock-credentials.js';
import { payloadHash, signerFor } from './bedrock-signer.js';

/** The `anthropic_version` Bedrock's Anthropic models require in the body. */
export const BEDROCK_ANTHROPIC_VERSION = 'bedrock-2023-05-31';
export { BEDROCK_SIGNING_SERVICE } from './bedrock-signer.js';

/** The `anthropic-beta` header's comma-separated values, trimmed, without empties. */
function betasOf(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

/**
 * The body to send: every field of the client's body except `model` and `stream`, as
 * the client wrote it, plus `anthropic_version` (unless the client set one) and the
 * `anthropic-beta` header values joined with any `anthropic_beta` the body had.
 */
export function bedrockBody(body: unknown, betaHeader: string | undefined): string {
  const source = isRecord(body) ? body : {};
  // A plain object filled in the client's order (V8 keeps it in fast mode, which JSON.stringify
  // serialises faster than a null-prototype object's dictionary); a client's own `__proto__`
  // key is defined as an own key (assigning it would set the prototype).
  const out: Record<string, unknown> = { anthropic_version: BEDROCK_ANTHROPIC_VERSION };
  for (const name in source) {
    if (name === 'model' || name === 'stream' || !Object.hasOwn(source, name)) continue;
    if (name === '__proto__') {
      Object.defineProperty(out, name, { value: source[name], enumerable: true, writable: true, configurable: true });
    } else out[name] = source[name];
  }
  const betas = betasOf(betaHeader);
  if (betas.length > 0) {
    const existing = Array.isArray(source.anthropic_beta) ? source.anthropic_beta.filter((v) => typeof v === 'string') : [];
    out.anthropic_beta = [...new Set([...existing, ...betas])];
  }
  return JSON.stringify(out);
}

/** The runtime endpoint of the account (its `baseUrl`, else the region's). */
export function bedrockRoot(credentials: BedrockCredentials): string {
  return splitBaseUrl(credentials.baseUrl ?? defaultBedrockUrl(credentials.region)).root;
}

/** `{root}/model/{id}/{action}` with the model id encoded as one path segment (`:` as `%3A`, `/` of an ARN as `%2F`). */
export function bedrockUrl(root: string, modelId: string, action: string): string {
  return `${root}/model/${encodeURIComponent(modelId)}/${action}`;
}

/** The URL and action of a Messages request. */
export function invokeAction(request: Pick<RelayRequest, 'stream'>): string {
  return request.stream ? 'invoke-with-response-stream' : 'invoke';
}

/** The parts of a URL the signature covers. */
interface SignedTarget {
  host: string;
  protocol: string;
  hostname: string;
  port: number | undefined;
  pathname: string;
}

/** Parsed targets by URL: an account calls a handful of URLs (a model and an action each), so each is parsed once. */
const targets = new Map<string, SignedTarget>();
const MAX_TARGETS = 1024;

function targetOf(url: string): SignedTarget {
  let target = targets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = {
      host: parsed.host,
      protocol: parsed.protocol,
      hostname: parsed.hostname,
      port: parsed.port === '' ? undefined : Number(parsed.port),
      pathname: parsed.pathname,
    };
    if (targets.size >= MAX_TARGETS) targets.clear();
    targets.set(url, target);
  }
  return target;
}

/**
 * The headers of a POST of `body` to `url` with the account's credential: a Bedrock API
 * key as `Authorization: Bearer`, else a SigV4 signature (service `bedrock`, the
 * account's region) over host, content type, accept and the body's hash.
 */
export async function authorizedHeaders(
  credentials: BedrockCredentials,
  url: string,
  body: string,
  accept: string,
): Promise<Record<string, string>> {
  const target = targetOf(url);
  const headers: Record<string, string> = {
    host: target.host,
    'content-type': 'application/json',
    accept,
  };
  if (credentials.apiKey !== undefined) {
    headers.authorization = `Bearer ${credentials.apiKey}`;
    return headers;
  }
  // The body's hash, which the signer adds as this header (its default), computed here in one native call.
  headers['x-amz-content-sha256'] = payloadHash(body);
  const signed = await signerFor(credentials).sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    ...(target.port === undefined ? {} : { port: target.port }),
    path: target.pathname,
    query: {},
    headers,
    body,
  });
  return signed.headers;
}
