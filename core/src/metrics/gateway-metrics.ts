/**
 * The gateway's Prometheus metrics, on a registry of its own (never prom-client's
 * global one, so two gateways in one process do not mix). Request, token and cost
 * counters are fed by the metrics usage sink; errors by the HTTP middleware; gauges
 * (active requests and leases, account states, cache-hit ratio, real-time rates) are
 * read at scrape time.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LabelledHistogram } from './labelled-histogram.js';
import { RealtimeWindow } from './realtime-window.js';

/** Live values read at each scrape. */
export interface MetricsSources {
  /** Requests being served right now (streams included). */
  activeRequests(): number;
  /** Accounts by state (`active`, `cooling_down`, `disabled`, `unknown_type`). */
  accountStates(): Promise<Record<string, number>>;
  /** Live concurrency leases per account id. */
  accountLeases(): Promise<Record<string, number>>;
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const OVERHEAD_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** Every metric the gateway exports. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly realtime: RealtimeWindow;
  private sources: MetricsSources | undefined;
  /** Cache token sums per model, for the hit ratio: [read, prompt total]. */
  private readonly cacheSums = new Map<string, [number, number]>();

  readonly requests = new Counter({
    name: 'switchyard_requests_total',
    help: 'Relayed requests with a usage record, by protocol, model and status.',
    labelNames: ['protocol', 'model', 'status'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'switchyard_errors_total',
    help: 'Answers with an error status (and client aborts and upstream cuts mid-stream), by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly tokens = new Counter({
    name: 'switchyard_tokens_total',
    help: 'Tokens by model and type (input, output, cache_write_5m, cache_write_1h, cache_read).',
    labelNames: ['model', 'type'] as const,
    registers: [this.registry],
  });
  readonly cost = new Counter({
    name: 'switchyard_cost_micro_usd_total',
    help: 'Cost in micro-dollars by model; kind real (list price) or rated (after multipliers).',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
  });
  readonly ttfb = new LabelledHistogram({
    name: 'switchyard_time_to_first_byte_seconds',
    help: 'Time from request arrival to the first response byte sent to the client.',
    labelNames: ['protocol'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly latency = new LabelledHistogram({
    name: 'switchyard_request_duration_seconds',
    help: 'Time from request arrival to the last response byte.',
    labelNames: ['protocol', 'stream'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly overhead = new LabelledHistogram({
    name: 'switchyard_gateway_overhead_seconds',
    help: "The gateway's own time per request (everything but waiting for upstream), until the answer's headers.",
    buckets: OVERHEAD_BUCKETS,
    registers: [this.registry],
  });
  readonly queueWait = new LabelledHistogram({
    name: 'switchyard_queue_wait_seconds',
    help: 'Time requests waited in a key or account queue before being served.',
    labelNames: ['scope'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly sinkFailures = new Counter({
    name: 'switchyard_usage_sink_failures_total',
    help: 'Usage batches a sink failed to write, by sink.',
    labelNames: ['sink'] as const,
    registers: [this.registry],
  });
  readonly usageDropped = new Counter({
    name: 'switchyard_usage_records_dropped_total',
    help: 'Usage records not stored: refused by the store as they were (invalid), or beyond the retry backlog while the store failed (overflow).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(options: {
    realtimeWindowMinutes: number;
    processMetrics?: boolean;
    /** The real-time rates are read at its time (records carry its times); default `Date.now`. */
    now?: () => number;
  }) {
    const now = options.now ?? Date.now;
    this.realtime = new RealtimeWindow(options.realtimeWindowMinutes);
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_' });
    // prom-client calls `collect` with the metric as `this`; these read the instance.
    const sources = (): MetricsSources | undefined => this.sources;
    const { cacheSums, realtime } = this;
    new Gauge({
      name: 'switchyard_active_requests',
      help: 'Requests being served right now (streams included).',
      registers: [this.registry],
      collect() {
        this.set(sources()?.activeRequests() ?? 0);
      },
    });
    new Gauge({
      name: 'switchyard_active_leases',
      help: 'Live concurrency leases per account.',
      labelNames: ['account'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [account, count] of Object.entries((await sources()?.accountLeases()) ?? {})) this.set({ account }, count);
      },
    });
    new Gauge({
      name: 'switchyard_accounts',
      help: 'Accounts by state.',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [state, count] of Object.entries((await sources()?.accountStates()) ?? {})) this.set({ state }, count);
      },
    });
    new Gauge({
      name: 'switchyard_cache_hit_ratio',
      help: 'Cache-read tokens over all prompt tokens (input + cache reads + cache writes), by model, since start.',
      labelNames: ['model'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [model, [read, prompt]] of cacheSums) if (prompt > 0) this.set({ model }, read / prompt);
      },
    });
    const rate = (name: string, help: string, pick: (r: ReturnType<RealtimeWindow['rates']>) => number) =>
      new Gauge({
        name,
        help: `${help}, averaged over the real-time window (usage.metrics.realtimeWindowMinutes).`,
        registers: [this.registry],
        collect() {
          this.set(pick(realtime.rates(now())));
        },
      });
    rate('switchyard_realtime_requests_per_minute', 'Requests per minute', (r) => r.requestsPerMinute);
    rate('switchyard_realtime_tokens_per_minute', 'Tokens per minute', (r) => r.tokensPerMinute);
  }

  /** Connects the scrape-time sources (done once the services exist). */
  setSources(sources: MetricsSources): void {
    this.sources = sources;
  }

  /**
   * A request waited `ms` in the `scope` queue. Key queue waits come from the records'
   * `queueWaitMs` (the metrics sink); other queues (e.g. `account`) can report here.
   */
  observeQueueWait(scope: string, ms: number): void {
    this.queueWait.observe({ scope }, ms / 1000);
  }

  /** Adds cache token counts of one record to the hit-ratio sums. */
  addCacheSample(model: string, cacheRead: number, prompt: number): void {
    const sums = this.cacheSums.get(model) ?? [0, 0];
    sums[0] += cacheRead;
    sums[1] += prompt;
    this.cacheSums.set(model, sums);
  }

  /** The Prometheus text exposition. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
