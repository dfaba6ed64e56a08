/** The first-party usage sink feeding the Prometheus metrics and the real-time window. */
import type { UsageRecord, UsageSink } from '@switchyard/plugin-api';
import { errorKind } from './error-kind.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { parseIsoTime } from '../time/iso-time.js';

/** Name of the metrics sink. */
export const METRICS_SINK = 'core:metrics';

/**
 * The model label of a record: the upstream model, else the requested one; a model no
 * price table knows is labelled `other`, so clients cannot blow up label cardinality.
 */
export function modelLabel(record: UsageRecord): string {
  if (record.priced === false) return 'other';
  return record.upstreamModel ?? record.model ?? 'unknown';
}

const TOKEN_TYPES = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_write_5m', 'cacheWrite5mTokens'],
  ['cache_write_1h', 'cacheWrite1hTokens'],
  ['cache_read', 'cacheReadTokens'],
] as const;

const KEY_QUEUE = { scope: 'key' } as const;

/** The `switchyard_errors_total` kind of answers the upstream cut after their status went out. */
export const UPSTREAM_INTERRUPTED = 'upstream_interrupted';

interface ModelSums {
  tokens: number[];
  real: number;
  rated: number;
  cacheRead: number;
  prompt: number;
}

/**
 * A {@link UsageSink} updating `metrics` from each batch (in memory, never fails on I/O).
 * Counters are summed per label set over the batch first, so each batch touches every
 * counter series once; only the histograms see each record.
 */
export function metricsSink(metrics: GatewayMetrics): UsageSink {
  return {
    name: METRICS_SINK,
    write(records: readonly UsageRecord[]) {
      const requests = new Map<string, { labels: { protocol: string; model: string; status: string }; count: number }>();
      const models = new Map<string, ModelSums>();
      let aborted = 0;
      let interrupted = 0;
      // Consecutive records nearly always share protocol, model and status: reuse the last series and label objects.
      let last:
        | { protocol: string; model: string; status: number; stream: boolean; counted: { count: number }; sums: ModelSums }
        | undefined;
      let ttfbLabels = { protocol: '' };
      let latencyLabels = { protocol: '', stream: '' };
      for (const record of records) {
        // A request the gateway refused itself was not relayed: the HTTP middleware counts it (errors by kind), and
        // the request log keeps only some of a flood, so counting its records here would be both double and partial.
        if (record.reason !== undefined) continue;
        const model = modelLabel(record);
        const { usage } = record;
        if (
          !last ||
          last.protocol !== record.protocol ||
          last.model !== model ||
          last.status !== record.status ||
          last.stream !== record.stream
        ) {
          const requestId = `${record.protocol}\u0000${model}\u0000${record.status}`;
          let counted = requests.get(requestId);
          if (!counted) {
            counted = { labels: { protocol: record.protocol, model, status: String(record.status) }, count: 0 };
            requests.set(requestId, counted);
          }
          let sums = models.get(model);
          if (!sums) {
            sums = { tokens: [0, 0, 0, 0, 0], real: 0, rated: 0, cacheRead: 0, prompt: 0 };
            models.set(model, sums);
          }
          if (ttfbLabels.protocol !== record.protocol) ttfbLabels = { protocol: record.protocol };
          if (latencyLabels.protocol !== record.protocol || latencyLabels.stream !== String(record.stream)) {
            latencyLabels = { protocol: record.protocol, stream: String(record.stream) };
          }
          last = { protocol: record.protocol, model, status: record.status, stream: record.stream, counted, sums };
        }
        last.counted.count += 1;
        // Errors on the wire are counted by the HTTP middleware; a client leaving mid-stream is only seen here.
        if (record.status === 499) aborted += 1;
        // An answer the upstream cut after its status went out: not an error status on the wire either.
        if (record.incomplete === true) interrupted += 1;
        const { sums } = last;
        for (let i = 0; i < TOKEN_TYPES.length; i++) sums.tokens[i]! += usage[TOKEN_TYPES[i]![1]];
        const rated = record.ratedCostMicros ?? record.costMicros;
        sums.real += record.costMicros;
        sums.rated += rated;
        const prompt = usage.inputTokens + usage.cacheReadTokens + usage.cacheWrite5mTokens + usage.cacheWrite1hTokens;
        sums.cacheRead += usage.cacheReadTokens;
        sums.prompt += prompt;
        if (record.firstByteMs !== undefined) metrics.ttfb.observe(ttfbLabels, record.firstByteMs / 1000);
        metrics.latency.observe(latencyLabels, record.latencyMs / 1000);
        if (record.overheadMs !== undefined) metrics.overhead.observe(record.overheadMs / 1000);
        if (record.queueWaitMs !== undefined) metrics.queueWait.observe(KEY_QUEUE, record.queueWaitMs / 1000);
        metrics.realtime.add(parseIsoTime(record.at), prompt + usage.outputTokens, rated);
      }
      for (const { labels, count } of requests.values()) metrics.requests.inc(labels, count);
      if (aborted) metrics.errors.inc({ kind: errorKind(499) }, aborted);
      if (interrupted) metrics.errors.inc({ kind: UPSTREAM_INTERRUPTED }, interrupted);
      for (const [model, sums] of models) {
        TOKEN_TYPES.forEach(([type], i) => {
          if (sums.tokens[i]! > 0) metrics.tokens.inc({ model, type }, sums.tokens[i]!);
        });
        if (sums.real > 0) metrics.cost.inc({ model, kind: 'real' }, sums.real);
        if (sums.rated > 0) metrics.cost.inc({ model, kind: 'rated' }, sums.rated);
        metrics.addCacheSample(model, sums.cacheRead, sums.prompt);
      }
    },
  };
}
