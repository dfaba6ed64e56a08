/**
 * `@switchyard/plugin-api`: the contract between the Switchyard core and its plugins.
 * A plugin imports from here only (and from `@switchyard/core/testing` in its tests).
 * This package depends on zod and nothing else, so a plugin installs without the core's
 * native modules, its stores or its HTTP server.
 *
 * Every export is named: what the contract offers is this list, and the committed API
 * report (`api-report/`, one declaration file per source file) shows each change to it in review.
 *
 * @packageDocumentation
 */
export {
  PLUGIN_API_VERSION,
  definePlugin,
  resolvePluginParts,
  type SwitchyardPlugin,
  type PluginParts,
  type PluginContext,
} from './plugin.js';
export {
  UPSTREAM_ERROR_KINDS,
  GATEWAY_ERROR_STATUS,
  UpstreamError,
  GatewayError,
  isGatewayError,
  isUpstreamError,
  type UpstreamErrorKind,
  type UpstreamErrorOptions,
  type GatewayErrorCode,
  type GatewayErrorOptions,
} from './errors.js';
export type {
  InboundRequest,
  RequestFacts,
  RenderableError,
  RenderedError,
  StreamStartError,
  ProtocolDefinition,
} from './protocol.js';
export { withJsonBodyModel } from './protocol.js';
export type { HttpMethod, RouteResult, KeyView, RouteHandlerContext, RouteHandler, RouteDefinition, RouteSet } from './route.js';
export type { TranslatorDefinition, TranslationContext, TranslatedRequest, StreamTranslator } from './translator.js';
export { defineAccountType } from './account-type.js';
export { transformedChunks, type BodyTransform } from './body-transform.js';
export type { AccountImport, ImportedAccount, SkippedRecord, SourceRecord } from './account-import.js';
export { servedProtocolId, type ServedProtocol, type OptionalServedProtocol } from './served-protocol.js';
export type { KeyLimitsView, RateWindowView, CostCapsView, ModelWeeklyCapView, KeyBindingView } from './key-limits.js';
export type {
  AccountView,
  AccountContext,
  RelayRequest,
  UpstreamCall,
  UpstreamResponse,
  UpstreamAdapter,
  CredentialRefresher,
  ProbeResult,
  AuthFlowStart,
  AuthFlowOutcome,
  AuthFlowContext,
  AuthFlow,
  UpstreamErrorResponse,
  ModelCatalog,
  AccountTypeDefinition,
  AccountCredentials,
} from './account-type.js';
export type {
  SchedulingRequest,
  Candidate,
  CandidateFilter,
  AffinityProvider,
  AccountErrorDecision,
  AccountErrorReaction,
  SelectionStrategy,
  SchedulerExtensions,
  KeyPolicyContext,
  KeyPolicy,
  ClientDetector,
  KeyExtensions,
  UsageRecord,
  UsageFailedAttempt,
  UsageEnricher,
  UsageSink,
  UsageExtensions,
  LifecycleExtensions,
  PluginEnv,
} from './extension-points.js';
export type { PluginKv } from './plugin-kv.js';
export type { HttpRequestOptions, HttpResponse, HttpClient } from './http.js';
export type { LogFields, Logger } from './logger.js';
export { emptyUsage, type Usage, type UsageCodec, type StreamUsageTap, type ModelPrice, type PriceTable } from './usage.js';
export { z, secret, isSecretSchema, secretFields, SECRET_META } from './schema.js';
export { createSseParser, formatSse, type SseEvent, type SseParser, type SseParserOptions } from './sse.js';
export { timestamp, timestampMs } from './timestamp.js';
export { splitBaseUrl, type BaseUrlParts } from './base-url.js';
export {
  joinUrl,
  originOf,
  reasonOf,
  parseRetryAfter,
  flattenHeaders,
  parseJsonBytes,
  callUpstream,
} from './upstream-helpers.js';
export { isRecord, tokenCount, parseJsonSafely, nonEmptyString, headerValue } from './json-values.js';
export { matchesModel, configuredModels, modelPatternSource } from './model-patterns.js';
export { createPkcePair, extractAuthorizationCode, postTokenForm, type PkcePair, type TokenEndpointAnswer } from './oauth.js';
export { upstreamResponse, type UpstreamResponseParts } from './upstream-response.js';
export { createSseStreamTranslator } from './sse-stream-translator.js';
export { createSseUsageTap } from './sse-usage-tap.js';
export { transformSseFrames, type SseFrame, type SseFrameTransform } from './transform-sse-frames.js';
