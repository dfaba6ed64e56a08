/**
 * count_tokens through Bedrock's CountTokens API: `POST /model/{id}/count-tokens` with
 * `{"input":{"invokeModel":{"body":"<base64 of the InvokeModel body>"}}}`, answered
 * `{"inputTokens": n}` and returned as Anthropic's `{"input_tokens": n}`. CountTokens
 * takes bare foundation-model ids only, so an inference-profile prefix is dropped. Where
 * the region or the model does not offer it, the client gets a clear 404 in Anthropic's
 * shape naming model and region; credential and throttling errors are Bedrock's errors,
 * classified as for any call.
 */
import { Readable } from 'node:stream';
import {
  callUpstream,
  headerValue,
  isRecord,
  parseJsonBytes,
  upstreamResponse,
  type UpstreamCall,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import type { BedrockCredentials } from './bedrock-credentials.js';
import { ERROR_TYPE_HEADER, anthropicErrorJson, exceptionName, rewriteBedrockError } from './bedrock-errors.js';
import { authorizedHeaders, bedrockBody, bedrockRoot, bedrockUrl } from './bedrock-request.js';

/** A cross-region inference-profile prefix (`us.`, `eu.`, `apac.`, `global.`, ...) before a model id. */
const PROFILE_PREFIX = /^[a-z]{2,6}(-[a-z]+)?\.(?=[a-z]+\.)/;
/** What Bedrock says when the model or region has no token counting. */
const NOT_OFFERED = /support(s|ed)? count|count(ing)? tokens? is not|not support/i;

/** The foundation-model id CountTokens takes: the id without its inference-profile prefix (ARNs as they are). */
export function countTokensModelId(modelId: string): string {
  return modelId.startsWith('arn:') ? modelId : modelId.replace(PROFILE_PREFIX, '');
}

function json(status: number, text: string, headers: Record<string, string> = {}): UpstreamResponse {
  return upstreamResponse({
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: Readable.from([Buffer.from(text, 'utf8')]),
  });
}

/** Counts the tokens of the client's Messages body with Bedrock's CountTokens. */
export async function countTokensOnBedrock(call: UpstreamCall<BedrockCredentials>, modelId: string): Promise<UpstreamResponse> {
  const { request, credentials, http, signal } = call;
  const model = countTokensModelId(modelId);
  const notOffered = (detail: string) =>
    json(
      404,
      anthropicErrorJson(
        'not_found_error',
        `count_tokens is not available for Bedrock model ${model} in ${credentials.region}${detail ? `: ${detail}` : ''}`,
      ),
    );
  const source = isRecord(request.body) ? request.body : {};
  // The InvokeModel body of Anthropic models needs max_tokens; count_tokens requests have none.
  const invokeBody = bedrockBody(
    'max_tokens' in source ? source : { ...source, max_tokens: 1 },
    headerValue(request.headers['anthropic-beta']),
  );
  const url = bedrockUrl(bedrockRoot(credentials), model, 'count-tokens');
  const body = JSON.stringify({ input: { invokeModel: { body: Buffer.from(invokeBody, 'utf8').toString('base64') } } });
  const headers = await authorizedHeaders(credentials, url, body, 'application/json');
  const response = await callUpstream(http, url, { method: 'POST', headers, body, signal }, 'Bedrock');
  const bytes = Buffer.from(await response.text(), 'utf8');
  if (response.status >= 200 && response.status < 300) {
    const parsed = parseJsonBytes(bytes);
    const count = isRecord(parsed) ? parsed.inputTokens : undefined;
    if (typeof count !== 'number')
      return json(502, anthropicErrorJson('api_error', 'Bedrock CountTokens answered without inputTokens'));
    return json(200, JSON.stringify({ input_tokens: count }));
  }
  const name = exceptionName(headerValue(response.headers[ERROR_TYPE_HEADER]));
  const parsed = parseJsonBytes(bytes);
  const message = isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : '';
  if (
    response.status === 404 ||
    name === 'unknownoperation' ||
    name === 'resourcenotfound' ||
    (name === 'validation' && NOT_OFFERED.test(message))
  ) {
    return notOffered(message);
  }
  const rewritten = rewriteBedrockError(response.status, response.headers, bytes, { modelId: model, region: credentials.region });
  return json(rewritten.status, rewritten.body, rewritten.headers);
}
