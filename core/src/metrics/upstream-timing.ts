/**
 * Measures how long a request waited for upstream, so the gateway can tell its own
 * overhead apart. The upstream HTTP client is wrapped (in the container): every call
 * made with a request's abort signal adds its time-to-response-headers to that signal's
 * total. Overhead = time until the answer's headers go out - time waiting for upstream.
 */
import { performance } from 'node:perf_hooks';
import type { HttpClient, HttpRequestOptions } from '@switchyard/plugin-api';
import type { UpstreamHttp } from '../http/upstream-http.js';

/** Response header carrying the gateway's own overhead, in whole milliseconds. */
export const OVERHEAD_HEADER = 'x-switchyard-overhead-ms';

const waits = new WeakMap<AbortSignal, number>();

function timedClient(client: HttpClient): HttpClient {
  return {
    async request(url, options?: HttpRequestOptions) {
      const signal = options?.signal;
      if (!signal) return client.request(url, options);
      const started = performance.now();
      try {
        return await client.request(url, options);
      } finally {
        waits.set(signal, (waits.get(signal) ?? 0) + (performance.now() - started));
      }
    },
  };
}

/** `http` with every client it hands out timed per abort signal (see {@link gatewayOverheadMs}). */
export function timedUpstreamHttp(http: UpstreamHttp): UpstreamHttp {
  return new Proxy(http, {
    get(target, property, receiver) {
      if (property === 'client') return (proxyUrl?: string) => timedClient(target.client(proxyUrl));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Adds `ms` to the upstream wait of the request whose calls use `signal`: time the relay
 * spent waiting on upstream beyond the response headers before answering (the first
 * event of a stream, see `ProtocolDefinition.streamStartError`), so it does not count as
 * overhead.
 */
export function addUpstreamWait(signal: AbortSignal, ms: number): void {
  const waited = waits.get(signal);
  if (waited !== undefined) waits.set(signal, waited + ms);
}

/**
 * The gateway's own time for a request (started at `request.startedAt`, epoch ms) whose
 * upstream calls used `signal`, in whole ms: elapsed time minus the upstream wait and
 * minus the time it waited in a key queue (`queueWaitMs`, a limit, not overhead);
 * undefined when no upstream call was timed (the adapter did not pass the signal through).
 */
export function gatewayOverheadMs(
  request: { readonly startedAt: number; readonly queueWaitMs?: number | undefined },
  signal: AbortSignal,
  now = Date.now(),
): number | undefined {
  const waited = waits.get(signal);
  if (waited === undefined) return undefined;
  return Math.max(0, Math.round(now - request.startedAt - waited - (request.queueWaitMs ?? 0)));
}
