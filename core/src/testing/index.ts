/**
 * `@switchyard/core/testing`: what plugin and core tests use to run a real gateway
 * against fake upstreams, and the conformance suite every provider plugin runs.
 *
 * @packageDocumentation
 */
export {
  startFakeUpstream,
  type FakeUpstream,
  type FakeUpstreamHandler,
  type RecordedRequest,
  type RecordedResponse,
} from './fake-upstream.js';
export { writeSse, formatSseFrame, type SseFrame, type WriteSseOptions } from './write-sse.js';
export { sendRequest, type SendRequestOptions, type SentResponse } from './send-request.js';
export { waitFor, type WaitForOptions } from './wait-for.js';
export { ManualClock } from './manual-clock.js';
export type { Clock, ClockTimer } from '../time/clock.js';
export {
  createTestGateway,
  type TestGateway,
  type TestGatewayOptions,
  type TestAccount,
  type TestKey,
} from './create-test-gateway.js';
export { describeGoldenCosts, computeGoldenCosts, type GoldenCostCase, type GoldenCostResult } from './golden-costs.js';
export { describeProviderConformance } from './conformance/describe-provider-conformance.js';
export {
  DEFAULT_ERROR_CASES,
  type ConformanceSuite,
  type ConformanceUpstream,
  type ConformanceErrorCase,
  type StreamTranscoding,
} from './conformance/conformance-suite.js';
export {
  createTestHttpClient,
  createAuthFlowContext,
  createMemoryKv,
  silentLogger,
  type TestHttpClient,
  type TestHttpClientOptions,
  type AuthFlowContextOptions,
} from './test-http-client.js';
export { writeInPieces } from './write-in-pieces.js';
export {
  createInboundRequest,
  createRelayRequest,
  type InboundRequestOptions,
  type RelayRequestOptions,
} from './create-requests.js';
export { resolveTestFunctions, type TestFunctions, type SuiteThis, type HookThis, type TestThis } from './test-functions.js';
export { startRedisForTests, type TestRedis } from './redis-server.js';
export { loadRedisDump, type RedisDumpEntry } from './load-redis-dump.js';
export { importCrsIntoGateway, type ImportCrsIntoGatewayOptions } from './import-crs-into-gateway.js';
export { describeCrsImport, type DescribeCrsImportOptions, type ExpectedCrsAccount } from './describe-crs-import.js';
export {
  formatCrsImportReport,
  countActions,
  type CrsImportReport,
  type CrsImportRow,
} from '../migration/crs/crs-import-report.js';
export { fillUsageHistory, type FillUsageHistoryOptions, type FilledUsageHistory } from './fill-usage-history.js';
