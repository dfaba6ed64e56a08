/**
 * The config file's `tracing` section: OpenTelemetry traces of relayed requests, one span
 * each, exported over OTLP/HTTP to a collector (docs/operations.md, Traces). Absent: no
 * tracing, and none of the OpenTelemetry packages is loaded.
 */
import { z } from 'zod';

export const tracingSchema = z.strictObject({
  /** The collector's OTLP/HTTP traces URL, e.g. `http://127.0.0.1:4318/v1/traces`. */
  endpoint: z.url({ protocol: /^https?$/ }),
  /** Headers sent with every export (a collector's token: use `${VAR}`). */
  headers: z.record(z.string(), z.string()).default({}),
  /** The `service.name` of the spans' resource. */
  serviceName: z.string().min(1).default('switchyard'),
  /** Spans are exported in batches at least this often. */
  exportIntervalMs: z.number().int().min(100).max(60_000).default(5_000),
  /** Longest one export may take before it is abandoned (its spans are dropped). */
  exportTimeoutMs: z.number().int().min(100).max(60_000).default(10_000),
  /** Spans waiting for export at most; beyond, new ones are dropped (a collector that is down cannot exhaust memory). */
  maxQueueSize: z.number().int().min(1).max(100_000).default(2048),
});

/** The `tracing` section, defaults applied. */
export type TracingConfig = z.infer<typeof tracingSchema>;
