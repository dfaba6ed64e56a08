/**
 * `@switchyard/core/plugin-api`: the contract between the Switchyard core and its
 * plugins. Plugins import from here only (and from `@switchyard/core/testing` in tests).
 *
 * @packageDocumentation
 */
export { PLUGIN_API_VERSION, definePlugin, type SwitchyardPlugin } from './plugin.js';
export * from './errors.js';
export type * from './protocol.js';
export type * from './route.js';
export type * from './translator.js';
export type * from './account-type.js';
export type * from './extension-points.js';
export type * from './http.js';
export type * from './logger.js';
export { emptyUsage, type Usage, type UsageCodec, type StreamUsageTap, type ModelPrice, type PriceTable } from './usage.js';
export { z, secret, isSecretSchema, secretFields, SECRET_META } from './schema.js';
export { createSseParser, formatSse, type SseEvent, type SseParser, type SseParserOptions } from './sse.js';
export { timestamp, timestampMs } from './timestamp.js';
export { splitBaseUrl, type BaseUrlParts } from './base-url.js';
export { joinUrl, originOf, reasonOf, parseRetryAfter, flattenHeaders, parseJsonBytes, callUpstream } from './upstream-helpers.js';
export { isRecord, tokenCount, parseJsonSafely, nonEmptyString, headerValue } from './json-values.js';
export { matchesModel, configuredModels } from './model-patterns.js';
export { createPkcePair, extractAuthorizationCode, postTokenForm, type PkcePair, type TokenEndpointAnswer } from './oauth.js';
export { createSseStreamTranslator } from './sse-stream-translator.js';
export { createSseUsageTap } from './sse-usage-tap.js';
