/**
 * What the span of one relayed request says, read from its usage record: the OpenTelemetry
 * GenAI semantic conventions (provider, models, tokens) plus the HTTP status, the error
 * type and the gateway's ids. Pure data: no OpenTelemetry package is needed to build it.
 * The provider is the id of the plugin whose account served the request: the core names none.
 */
import type { UsageRecord } from '@switchyard/plugin-api';

/**
 * Attribute names of the GenAI semantic conventions (still "incubating" upstream, so they
 * are spelled here rather than imported from the incubating entry point, which may change).
 */
export const GEN_AI = {
  providerName: 'gen_ai.provider.name',
  /** The older name of the provider attribute, still read by many backends. */
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheCreationInputTokens: 'gen_ai.usage.cache_creation.input_tokens',
} as const;

/** A span's content, ready for `tracer.startSpan(name, { startTime, attributes })` and `end(endTime)`. */
export interface UsageSpan {
  name: string;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
  attributes: Record<string, string | number | boolean>;
  /** Set for failures (5xx, an answer cut short): the span's status is then ERROR. */
  errorMessage?: string;
}

/** The span of the request `record` describes. */
export function usageSpan(record: UsageRecord): UsageSpan {
  const startTime = Date.parse(record.at);
  const requestModel = record.requestedModel ?? record.model;
  const responseModel = record.upstreamModel ?? record.servedModel;
  const usage = record.usage;
  const cacheCreation = usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
  const attributes: UsageSpan['attributes'] = {
    // Input tokens include the cached ones, per the conventions; the cache parts follow apart.
    [GEN_AI.inputTokens]: usage.inputTokens + usage.cacheReadTokens + cacheCreation,
    [GEN_AI.outputTokens]: usage.outputTokens,
    'http.response.status_code': record.status,
    'switchyard.request.id': record.id,
    'switchyard.protocol': record.protocol,
    'switchyard.stream': record.stream,
  };
  if (record.plugin !== undefined) {
    attributes[GEN_AI.providerName] = record.plugin;
    attributes[GEN_AI.system] = record.plugin;
  }
  if (requestModel !== undefined) attributes[GEN_AI.requestModel] = requestModel;
  if (responseModel !== undefined) attributes[GEN_AI.responseModel] = responseModel;
  if (usage.cacheReadTokens > 0) attributes[GEN_AI.cacheReadInputTokens] = usage.cacheReadTokens;
  if (cacheCreation > 0) attributes[GEN_AI.cacheCreationInputTokens] = cacheCreation;
  if (record.keyId !== '') attributes['switchyard.key.id'] = record.keyId;
  if (record.accountId !== undefined) attributes['switchyard.account.id'] = record.accountId;
  if (record.accountType !== undefined) attributes['switchyard.account.type'] = record.accountType;
  const errorType =
    record.reason ?? (record.incomplete ? 'incomplete' : record.status >= 400 ? String(record.status) : undefined);
  if (errorType !== undefined) attributes['error.type'] = errorType;
  const span: UsageSpan = {
    name: requestModel === undefined ? 'relay' : `relay ${requestModel}`,
    startTime,
    endTime: startTime + Math.max(0, record.latencyMs),
    attributes,
  };
  // As for HTTP servers: a 4xx is the client's doing, not a failure of the gateway.
  if (record.status >= 500 || record.incomplete) span.errorMessage = errorType ?? String(record.status);
  return span;
}
