/**
 * The cross-check of Bedrock's own token counts against the usage its answer reported.
 * Bedrock counts every invocation: a stream's last event (`message_stop`) carries
 * `"amazon-bedrock-invocationMetrics": {"inputTokenCount", "outputTokenCount",
 * "cacheReadInputTokenCount", "cacheWriteInputTokenCount", ...}`, and a unary answer the
 * headers `x-amzn-bedrock-input-token-count`, `x-amzn-bedrock-output-token-count` (and the
 * cache ones). The usage the gateway records comes from the Anthropic `usage` objects
 * (`message_start` / `message_delta`, or the unary body). When both are there and differ,
 * the usage record is flagged `usage_mismatch` and a warning is logged (counts and the
 * Bedrock model id only): the record keeps the Anthropic usage, which is what is billed.
 *
 * `inputTokenCount` excludes cache reads and writes, like Anthropic's `input_tokens`.
 */
import { headerValue, isRecord, type Logger, type Usage } from '@switchyard/plugin-api';

/** Bedrock's own token counts of one invocation (each absent when Bedrock did not report it). */
export interface InvocationMetrics {
  inputTokenCount?: number;
  outputTokenCount?: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

/** One count on which Bedrock's metrics and the reported usage disagree. */
export interface UsageDisagreement {
  /** The usage field: `inputTokens`, `outputTokens`, `cacheReadTokens` or `cacheWriteTokens` (5m + 1h). */
  field: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens';
  /** Bedrock's invocation metric. */
  metric: number;
  /** What the usage says. */
  usage: number;
}

/** The flag a usage record gets when the counts disagree. */
export const USAGE_MISMATCH_FLAG = 'usage_mismatch';

/** The key of the metrics object in a stream's `message_stop` event. */
export const INVOCATION_METRICS_KEY = 'amazon-bedrock-invocationMetrics';

const METRIC_NAMES = ['inputTokenCount', 'outputTokenCount', 'cacheReadInputTokenCount', 'cacheWriteInputTokenCount'] as const;

function count(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}

/** The counts of a decoded metrics object (`amazon-bedrock-invocationMetrics`), or undefined when it holds none. */
export function invocationMetricsOf(value: unknown): InvocationMetrics | undefined {
  if (!isRecord(value)) return undefined;
  const metrics: InvocationMetrics = {};
  for (const name of METRIC_NAMES) {
    const n = count(value[name]);
    if (n !== undefined) metrics[name] = n;
  }
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

/** The header of each metric on a unary answer. */
const METRIC_HEADERS: Readonly<Record<(typeof METRIC_NAMES)[number], string>> = {
  inputTokenCount: 'x-amzn-bedrock-input-token-count',
  outputTokenCount: 'x-amzn-bedrock-output-token-count',
  cacheReadInputTokenCount: 'x-amzn-bedrock-cache-read-input-token-count',
  cacheWriteInputTokenCount: 'x-amzn-bedrock-cache-write-input-token-count',
};

/** The counts of a unary answer's `x-amzn-bedrock-*-token-count` headers, or undefined when it has none. */
export function invocationMetricsFromHeaders(
  headers: Record<string, string | string[] | undefined>,
): InvocationMetrics | undefined {
  const metrics: InvocationMetrics = {};
  for (const name of METRIC_NAMES) {
    const n = count(headerValue(headers[METRIC_HEADERS[name]]));
    if (n !== undefined) metrics[name] = n;
  }
  return Object.keys(metrics).length > 0 ? metrics : undefined;
}

/** Where `metrics` and `usage` disagree (only the counts Bedrock reported are compared). */
export function compareInvocationMetrics(metrics: InvocationMetrics, usage: Usage): UsageDisagreement[] {
  const pairs: [UsageDisagreement['field'], number | undefined, number][] = [
    ['inputTokens', metrics.inputTokenCount, usage.inputTokens],
    ['outputTokens', metrics.outputTokenCount, usage.outputTokens],
    ['cacheReadTokens', metrics.cacheReadInputTokenCount, usage.cacheReadTokens],
    ['cacheWriteTokens', metrics.cacheWriteInputTokenCount, usage.cacheWrite5mTokens + usage.cacheWrite1hTokens],
  ];
  const out: UsageDisagreement[] = [];
  for (const [field, metric, counted] of pairs) {
    if (metric !== undefined && metric !== counted) out.push({ field, metric, usage: counted });
  }
  return out;
}

/**
 * The cross-check of one Bedrock answer. The adapter makes one per request and hands
 * {@link InvocationMetricsCheck.usageFlags} to the core (`UpstreamResponse.usageFlags`);
 * the metrics come from the unary answer's headers ({@link InvocationMetricsCheck.observe})
 * or from the stream's `message_stop` event, which the event-stream decoder passes to
 * {@link InvocationMetricsCheck.observeMessageStop}.
 */
export class InvocationMetricsCheck {
  private metrics: InvocationMetrics | undefined;

  constructor(
    private readonly log: Logger,
    private readonly modelId: string,
  ) {}

  /** Keeps Bedrock's counts (the last ones given win). */
  observe(metrics: InvocationMetrics | undefined): void {
    if (metrics !== undefined) this.metrics = metrics;
  }

  /**
   * Reads the metrics of a stream's `message_stop` event, given as the event's JSON text
   * (the Anthropic event Bedrock's `chunk` frame carries). Never throws: text that is not
   * JSON, or has no metrics, is ignored.
   */
  observeMessageStop(eventJson: string): void {
    let event: unknown;
    try {
      event = JSON.parse(eventJson);
    } catch {
      return;
    }
    if (isRecord(event)) this.observe(invocationMetricsOf(event[INVOCATION_METRICS_KEY]));
  }

  /**
   * The usage record's flags: `usage_mismatch` (and a warning in the log) when Bedrock's
   * counts disagree with `usage`; none when they agree or either is missing. Never throws.
   */
  usageFlags(usage: Usage | null): readonly string[] {
    if (this.metrics === undefined || usage === null) return [];
    const disagreements = compareInvocationMetrics(this.metrics, usage);
    if (disagreements.length === 0) return [];
    this.log.warn("Bedrock's invocation metrics disagree with the usage it reported; the usage is recorded as reported", {
      modelId: this.modelId,
      disagreements,
    });
    return [USAGE_MISMATCH_FLAG];
  }
}
