/**
 * The `bedrock` account type: Claude on AWS Bedrock, serving the Anthropic Messages
 * protocol, so Claude Code, the Anthropic SDKs and translated clients reach Bedrock like
 * any Claude account. Messages go to `/model/{id}/invoke` (unary) or
 * `/invoke-with-response-stream` (the event stream, re-emitted as Anthropic SSE);
 * Bedrock's errors are rewritten in Anthropic's shape and classified for failover.
 * count_tokens goes to Bedrock's CountTokens (a 404 in Anthropic's shape where it is not offered).
 */
import { Readable } from 'node:stream';
import {
  callUpstream,
  defineAccountType,
  headerValue,
  upstreamResponse,
  type AccountTypeDefinition,
  type UpstreamCall,
  type UpstreamResponse,
  type Usage,
} from '@switchyard/plugin-api';
import { ANTHROPIC_MESSAGES_PROTOCOL } from './anthropic-messages-id.js';
import { bedrockCredentialsSchema, bedrockSettingsSchema, type BedrockCredentials } from './bedrock-credentials.js';
import { anthropicErrorJson, classifyBedrockError, rewriteBedrockError } from './bedrock-errors.js';
import { BEDROCK_MODEL_CATALOG, bedrockModelId } from './bedrock-models.js';
import { probeBedrock } from './bedrock-probe.js';
import { countTokensOnBedrock } from './bedrock-count-tokens.js';
import { authorizedHeaders, bedrockBody, bedrockRoot, bedrockUrl, invokeAction } from './bedrock-request.js';
import { EventStreamToSseDecoder } from './event-stream-to-sse.js';
import { bedrockPriceModel } from './bedrock-pricing.js';
import { InvocationMetricsCheck, invocationMetricsFromHeaders } from './invocation-metrics-check.js';
import { bedrockCrsImport } from './bedrock-crs-imports.js';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';
/** Bedrock response headers passed to the client. */
const KEPT_HEADERS = ['x-amzn-requestid', 'x-amzn-bedrock-invocation-latency'];

/** A gateway-made answer in Anthropic's error shape. */
function anthropicError(status: number, type: string, message: string): UpstreamResponse {
  return upstreamResponse({
    status,
    headers: { 'content-type': 'application/json' },
    body: Readable.from([Buffer.from(anthropicErrorJson(type, message), 'utf8')]),
  });
}

/** The answer's headers: its content type (and cache control, for a stream) and the Bedrock headers kept. */
function keptHeaders(headers: UpstreamResponse['headers'], contentType: string, stream: boolean): Record<string, string> {
  const kept: Record<string, string> = { 'content-type': contentType };
  if (stream) kept['cache-control'] = 'no-cache';
  for (const name of KEPT_HEADERS) {
    const value = headerValue(headers[name]);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/** Sends one Messages request to Bedrock and returns the answer in Anthropic's wire format. */
export async function sendToBedrock(call: UpstreamCall<BedrockCredentials>): Promise<UpstreamResponse> {
  const { request, credentials, account, http, signal } = call;
  const modelId = bedrockModelId(request.model, account);
  if (modelId === undefined) {
    return anthropicError(
      404,
      'not_found_error',
      `Bedrock account "${account.name}" has no Bedrock model id for ${request.model ?? 'a request without a model'} ` +
        `(region ${credentials.region}); add it to the account's modelMapping.`,
    );
  }
  if (request.operation === 'count_tokens') return countTokensOnBedrock(call, modelId);
  const url = bedrockUrl(bedrockRoot(credentials), modelId, invokeAction(request));
  const body = bedrockBody(request.body, headerValue(request.headers['anthropic-beta']));
  const accept = request.stream ? EVENT_STREAM : 'application/json';
  const headers = await authorizedHeaders(credentials, url, body, accept);
  const response = await callUpstream(http, url, { method: 'POST', headers, body, signal }, 'Bedrock');

  if (response.status < 200 || response.status >= 300) {
    const bytes = Buffer.from(await response.text(), 'utf8');
    const rewritten = rewriteBedrockError(response.status, response.headers, bytes, { modelId, region: credentials.region });
    return upstreamResponse({
      status: rewritten.status,
      headers: rewritten.headers,
      body: Readable.from([Buffer.from(rewritten.body, 'utf8')]),
    });
  }
  // What served the answer and how it is priced (regional endpoints cost more, bedrock-pricing.ts),
  // and the cross-check of Bedrock's own token counts against the usage the answer reports.
  const check = new InvocationMetricsCheck(call.log, modelId);
  const servedModel = modelId;
  const priceModel = bedrockPriceModel(modelId);
  const usageFlags = (usage: Usage | null): readonly string[] => check.usageFlags(usage);
  const contentType = headerValue(response.headers['content-type']) ?? '';
  if (!contentType.startsWith(EVENT_STREAM)) {
    // A unary answer: Anthropic's Messages JSON as it is; Bedrock's counts are in its headers.
    check.observe(invocationMetricsFromHeaders(response.headers));
    return upstreamResponse({
      status: response.status,
      headers: keptHeaders(response.headers, contentType || 'application/json', false),
      body: response.body,
      servedModel,
      priceModel,
      usageFlags,
    });
  }
  // The event stream is converted by the core as it reads it (the decoder is the body's
  // transform: no stream of ours in between). The stream's own counts are in its
  // message_stop event: the decoder hands it to the check.
  return upstreamResponse({
    status: response.status,
    headers: keptHeaders(response.headers, 'text/event-stream; charset=utf-8', true),
    body: response.body,
    bodyTransform: new EventStreamToSseDecoder((eventJson) => check.observeMessageStop(eventJson)),
    servedModel,
    priceModel,
    usageFlags,
  });
}

/** Builds the bedrock account type. */
export function createBedrockAccountType(): AccountTypeDefinition<typeof bedrockCredentialsSchema> {
  return defineAccountType({
    id: 'bedrock',
    imports: [bedrockCrsImport],
    label: 'AWS Bedrock (Claude)',
    description:
      'Claude models on AWS Bedrock: a region plus an IAM access key (SigV4) or a Bedrock API key. ' +
      'Serves the Anthropic Messages API (Claude Code, the Anthropic SDKs).',
    credentials: bedrockCredentialsSchema,
    settings: bedrockSettingsSchema,
    serves: [ANTHROPIC_MESSAGES_PROTOCOL],
    models: BEDROCK_MODEL_CATALOG,
    adapter: { send: sendToBedrock },
    classifyError: (response) => classifyBedrockError(response),
    probe: probeBedrock,
  });
}
