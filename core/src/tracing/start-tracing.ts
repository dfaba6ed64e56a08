/**
 * OpenTelemetry traces (`tracing` in the config): a usage sink that turns each relayed
 * request's usage record into one span (usage-span.ts) and exports the spans in batches
 * over OTLP/HTTP. Loaded with a dynamic import only when the config has `tracing`, so a
 * gateway without it never loads the OpenTelemetry SDK. The tracer provider is this
 * gateway's own (not registered globally): two gateways in one process stay apart.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger, UsageRecord, UsageSink } from '@switchyard/plugin-api';
import type { TracingConfig } from '../config/tracing-schema.js';
import { usageSpan } from './usage-span.js';

/** Running tracing: the sink to add to the usage recorder, and its end. */
export interface RunningTracing {
  /** Makes the spans; `flush()` (the recorder's flush) exports what is queued now. */
  sink: UsageSink & { flush(): Promise<void> };
  /** Exports what is left, then stops. */
  shutdown(): Promise<void>;
}

/** Starts exporting spans to `config.endpoint`. */
export function startTracing(config: TracingConfig, options: { version: string; log: Logger }): RunningTracing {
  const exporter = reportingFailures(
    new OTLPTraceExporter({ url: config.endpoint, headers: config.headers, timeoutMillis: config.exportTimeoutMs }),
    options.log,
  );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: config.serviceName, [ATTR_SERVICE_VERSION]: options.version }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: config.exportIntervalMs,
        exportTimeoutMillis: config.exportTimeoutMs,
        maxQueueSize: config.maxQueueSize,
        maxExportBatchSize: Math.min(512, config.maxQueueSize),
      }),
    ],
  });
  const tracer = provider.getTracer('@switchyard/core', options.version);
  return {
    sink: {
      name: 'tracing',
      write(records: readonly UsageRecord[]) {
        for (const record of records) {
          const span = usageSpan(record);
          const otelSpan = tracer.startSpan(span.name, {
            kind: SpanKind.SERVER,
            startTime: span.startTime,
            attributes: span.attributes,
          });
          if (span.errorMessage !== undefined) otelSpan.setStatus({ code: SpanStatusCode.ERROR, message: span.errorMessage });
          otelSpan.end(span.endTime);
        }
      },
      flush: () => provider.forceFlush(),
    },
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The SDK drops spans it cannot export without a word: say so once when exports start
 * failing (the collector is down) and once when they work again.
 */
function reportingFailures(exporter: SpanExporter, log: Logger): SpanExporter {
  let failing = false;
  return {
    export(spans: ReadableSpan[], done: (result: ExportResult) => void) {
      exporter.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS && !failing) {
          failing = true;
          log.warn('trace export failed; spans are dropped until the collector answers', {
            error: result.error,
            spans: spans.length,
          });
        } else if (result.code === ExportResultCode.SUCCESS && failing) {
          failing = false;
          log.info('trace export works again');
        }
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush?.() ?? Promise.resolve(),
  };
}
