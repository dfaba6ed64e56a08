/**
 * What a provider plugin hands to {@link describeProviderConformance}: how to reach
 * its route, how to build its credentials, and how its fake upstream answers.
 */
import type http from 'node:http';
import type { SwitchyardPlugin, Usage, UpstreamErrorKind } from '@switchyard/plugin-api';
import type { GatewayConfigInput } from '../../config/schema.js';
import type { FakeUpstream } from '../fake-upstream.js';
import type { TestFunctions } from '../test-functions.js';

/**
 * Writers of the provider's wire format, used by the suite as fake upstream handlers
 * (through `FakeUpstream.setHandler`).
 */
export interface ConformanceUpstream {
  /** Writes a successful unary answer carrying the suite's `expectedUsage`. */
  unary(res: http.ServerResponse): void | Promise<void>;
  /**
   * Writes a successful stream of at least 5 frames, about 30 ms apart, carrying the
   * suite's `expectedUsage`; resolves when the stream ended (or the client left).
   */
  stream(res: http.ServerResponse): Promise<void>;
  /** Writes the provider's error shape with `status` (headers already set by the suite are kept). */
  error(res: http.ServerResponse, status: number): void | Promise<void>;
}

/** How an adapter re-encodes a successful stream (see {@link ConformanceSuite.streamTranscoding}). */
export interface StreamTranscoding {
  /** The content type of the stream the client gets. */
  contentType: string;
  /** The bytes the client must get for the bytes upstream wrote. */
  clientBytes(upstreamBytes: Buffer): Buffer;
}

/** One upstream error answer and the kind the account type must classify it as. */
export interface ConformanceErrorCase {
  status: number;
  kind: UpstreamErrorKind;
  /** Headers the suite sets before calling `upstream.error` (e.g. `retry-after`). */
  headers?: Record<string, string>;
}

/** Options of the provider conformance suite. */
export interface ConformanceSuite {
  /** Names the `describe` block. */
  name: string;
  /** The plugin under test. */
  plugin: SwitchyardPlugin;
  /** Other plugins loaded alongside (e.g. the one defining the route's protocol). */
  plugins?: readonly SwitchyardPlugin[];
  /** The account type under test. */
  accountType: string;
  /** Full request path including the mount, e.g. `/my/v1/chat`. */
  routePath: string;
  /**
   * Full path of the streamed request, for protocols that choose streaming by path
   * (a path naming a streaming action instead of a body flag). Default: `routePath`.
   */
  streamRoutePath?: string;
  /** HTTP method of the route (default `POST`). */
  method?: string;
  /** Starts a fake speaking the provider's wire format; the suite drives it with `setHandler`. */
  startUpstream(): Promise<FakeUpstream>;
  /** Credentials of an account whose upstream is `upstreamUrl` (usually as `baseUrl`). */
  credentials(upstreamUrl: string): Record<string, unknown>;
  /** Account settings (default none). */
  settings?: Record<string, unknown>;
  /** Headers carrying the client key, plus any the protocol needs (default `authorization: Bearer <key>`). */
  clientHeaders?(key: string): Record<string, string>;
  /** Client request bodies: strings and bytes are sent as they are, other values as indented JSON. */
  requests: { unary: unknown; stream: unknown };
  upstream: ConformanceUpstream;
  /** The token counts both successful answers report, as the usage record must show them. */
  expectedUsage: Partial<Usage>;
  /** A credential value that must never reach a client, a log line or stored state. */
  secret: string;
  /**
   * Error answers and their expected kinds. Default: 429 (with `retry-after`) rate_limited,
   * 401 auth_failed, 500 upstream_5xx, 529 overloaded.
   */
  errorCases?: readonly ConformanceErrorCase[];
  /**
   * For adapters that re-encode a successful stream instead of relaying its bytes (a
   * binary event stream re-emitted as SSE): the content type the client gets, and the
   * bytes the client must receive for the bytes upstream wrote (whole frames; also called
   * with what upstream wrote before a cut). Default: upstream's bytes and content type.
   * The stream tests then compare the client's bytes with `clientBytes(upstream bytes)`.
   */
  streamTranscoding?: StreamTranscoding;
  /** Whether the adapter forwards the client's body byte for byte (default true). */
  forwardsBodyVerbatim?: boolean;
  /** Extra gateway config for every test gateway. */
  config?: Partial<GatewayConfigInput>;
  /** Store backend of the test gateways (default embedded). */
  store?: 'embedded' | 'redis';
  /**
   * The probe test: `{ ok }` is what the probe must report against the fake upstream
   * answering every request with `upstream.unary` (default: either, only its shape and
   * secrecy are checked). `false` leaves the probe untested, for a probe that calls an
   * endpoint other than the account's `baseUrl` (it would leave the machine).
   */
  probe?: false | { ok?: boolean };
  /**
   * The runner functions to register the tests with. Default: the globals of the running
   * mocha. Pass mocha's own (`import { describe, it, beforeEach, afterEach } from 'mocha'`)
   * when your runner does not install globals.
   */
  testFunctions?: Partial<TestFunctions>;
}

/** The error cases used when a suite does not give its own. */
export const DEFAULT_ERROR_CASES: readonly ConformanceErrorCase[] = [
  { status: 429, kind: 'rate_limited', headers: { 'retry-after': '7' } },
  { status: 401, kind: 'auth_failed' },
  { status: 500, kind: 'upstream_5xx' },
  { status: 529, kind: 'overloaded' },
];
