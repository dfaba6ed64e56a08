/** Small statistics helpers for the bench report. */
import type { LoadResult } from './load.js';

/** The q-quantile (0..1) of `values` by the nearest-rank method; NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface Summary {
  target: string;
  requested: number;
  completed: number;
  errors: number;
  timedOut: boolean;
  wallMs: number;
  /** Completed requests per second of wall time. */
  throughput: number;
  latencyP50: number;
  latencyP99: number;
  ttfbP50: number;
  ttfbP99: number;
  /** Median body size of completed responses. */
  bodyBytes: number;
  /** Median number of body chunks (socket reads) per response. */
  chunks: number;
  errorSamples: string[];
}

/** Merges the results of several rounds on one target into one. */
export function mergeResults(results: readonly LoadResult[]): LoadResult {
  const first = results[0];
  if (!first) throw new Error('mergeResults needs at least one result');
  return {
    target: first.target,
    requested: results.reduce((sum, r) => sum + r.requested, 0),
    completed: results.reduce((sum, r) => sum + r.completed, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    errorSamples: results.flatMap((r) => r.errorSamples).slice(0, 5),
    timedOut: results.some((r) => r.timedOut),
    wallMs: results.reduce((sum, r) => sum + r.wallMs, 0),
    latencyMs: results.flatMap((r) => r.latencyMs),
    ttfbMs: results.flatMap((r) => r.ttfbMs),
    bodyBytes: results.flatMap((r) => r.bodyBytes),
    chunks: results.flatMap((r) => r.chunks),
  };
}

export function summarize(result: LoadResult): Summary {
  return {
    target: result.target,
    requested: result.requested,
    completed: result.completed,
    errors: result.errors,
    timedOut: result.timedOut,
    wallMs: result.wallMs,
    throughput: result.wallMs > 0 ? (result.completed * 1000) / result.wallMs : 0,
    latencyP50: quantile(result.latencyMs, 0.5),
    latencyP99: quantile(result.latencyMs, 0.99),
    ttfbP50: quantile(result.ttfbMs, 0.5),
    ttfbP99: quantile(result.ttfbMs, 0.99),
    bodyBytes: quantile(result.bodyBytes, 0.5),
    chunks: quantile(result.chunks, 0.5),
    errorSamples: result.errorSamples,
  };
}
