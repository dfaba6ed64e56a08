/**
 * A bounded load generator: a fixed number of requests, a fixed number of workers, and
 * a hard deadline, over one keep-alive undici Pool per target.
 *
 * For each request it records the latency (request start to last body byte), the time
 * to first byte (request start to the first body chunk: the first SSE event for a
 * stream), the body size and the status.
 */
import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';

export interface LoadTarget {
  /** A name for reports (`direct`, `gateway`). */
  name: string;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  path: string;
  headers: Record<string, string>;
}

export interface LoadSpec {
  requests: number;
  concurrency: number;
  /** The JSON body sent with every request. */
  body: string;
  /** A response counts as complete only when its body contains this (e.g. the `done` event). */
  mustContain?: string;
  /** Hard wall-clock cap for the whole run, in milliseconds; in-flight requests are aborted at it. */
  deadlineMs: number;
  /**
   * When aborted, no new request is issued (those in flight finish) and the result notes
   * how many had completed by then (`completedAtStop`, `stoppedAtMs`).
   */
  stop?: AbortSignal;
}

export interface LoadResult {
  target: string;
  requested: number;
  completed: number;
  errors: number;
  /** The first few error descriptions (status and body start, or the exception). */
  errorSamples: string[];
  /** True when the deadline cut the run short. */
  timedOut: boolean;
  wallMs: number;
  /** Per completed request, in milliseconds, in completion order. */
  latencyMs: number[];
  ttfbMs: number[];
  /** Body bytes per completed request (all equal for a deterministic upstream). */
  bodyBytes: number[];
  /** Body chunks (socket reads) per completed request. */
  chunks: number[];
  /** With `spec.stop`, once it fired: requests completed by then, and when it fired (ms after the start). */
  completedAtStop?: number;
  stoppedAtMs?: number;
}

const decoder = new TextDecoder();

/** Creates the keep-alive pool used for one target; reuse it across phases of the same target. */
export function createPool(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
}

/** Runs `spec.requests` requests against `target`, `spec.concurrency` at a time, until done or the deadline. */
export async function runLoad(pool: Pool, target: LoadTarget, spec: LoadSpec): Promise<LoadResult> {
  const result: LoadResult = {
    target: target.name,
    requested: spec.requests,
    completed: 0,
    errors: 0,
    errorSamples: [],
    timedOut: false,
    wallMs: 0,
    latencyMs: [],
    ttfbMs: [],
    bodyBytes: [],
    chunks: [],
  };
  const deadline = AbortSignal.timeout(spec.deadlineMs);
  // Every in-flight request listens on the deadline.
  setMaxListeners(spec.concurrency * 2 + 10, deadline);
  const headers = { 'content-type': 'application/json', ...target.headers };
  const tail = spec.mustContain ?? '';
  let issued = 0;

  const fail = (description: string) => {
    result.errors++;
    if (result.errorSamples.length < 5) result.errorSamples.push(description);
  };

  async function one(): Promise<void> {
    const start = performance.now();
    let ttfb = -1;
    let bytes = 0;
    let chunks = 0;
    // The last few chunks, decoded only at the end: cheap completeness check without buffering the body.
    const tailChunks: Buffer[] = [];
    try {
      const response = await pool.request({
        origin: target.origin,
        path: target.path,
        method: 'POST',
        headers,
        body: spec.body,
        signal: deadline,
      });
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        if (ttfb < 0) ttfb = performance.now() - start;
        bytes += chunk.length;
        chunks++;
        tailChunks.push(chunk);
        if (tailChunks.length > 3) tailChunks.shift();
      }
      const end = performance.now();
      const last = decoder.decode(Buffer.concat(tailChunks)).slice(-512);
      if (response.statusCode !== 200) {
        fail(`HTTP ${response.statusCode}: ${last.slice(0, 300)}`);
      } else if (tail !== '' && !last.includes(tail)) {
        fail(`incomplete body (${bytes} bytes), ends with: ${JSON.stringify(last.slice(-120))}`);
      } else {
        result.completed++;
        result.latencyMs.push(end - start);
        result.ttfbMs.push(ttfb < 0 ? end - start : ttfb);
        result.bodyBytes.push(bytes);
        result.chunks.push(chunks);
      }
    } catch (error) {
      if (deadline.aborted) result.timedOut = true;
      else fail(`${(error as Error).name}: ${(error as Error).message}`);
    }
  }

  async function worker(): Promise<void> {
    // Bounded: at most `spec.requests` iterations across all workers, and none after the deadline.
    while (issued < spec.requests && !deadline.aborted && !spec.stop?.aborted) {
      issued++;
      await one();
    }
  }

  const started = performance.now();
  spec.stop?.addEventListener(
    'abort',
    () => {
      result.completedAtStop = result.completed;
      result.stoppedAtMs = performance.now() - started;
    },
    { once: true },
  );
  const workers = Array.from({ length: Math.max(1, Math.min(spec.concurrency, spec.requests)) }, () => worker());
  await Promise.all(workers);
  result.wallMs = performance.now() - started;
  if (deadline.aborted && result.completed + result.errors < spec.requests) result.timedOut = true;
  return result;
}
