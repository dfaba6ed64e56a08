/** Requests and tokens per minute over a sliding window of whole minutes, in memory. */

/** What {@link RealtimeWindow.rates} answers. */
export interface RealtimeRates {
  windowMinutes: number;
  requestsPerMinute: number;
  tokensPerMinute: number;
  costMicrosPerMinute: number;
}

interface Bucket {
  minute: number;
  requests: number;
  tokens: number;
  costMicros: number;
}

/**
 * A ring of per-minute buckets (window + 1, so the current partial minute is kept while
 * the window covers the last `windowMinutes` full ones plus it). Per process: several
 * instances each report their own share (Prometheus sums them).
 */
export class RealtimeWindow {
  private readonly buckets: Bucket[];

  constructor(readonly windowMinutes: number) {
    this.buckets = Array.from({ length: windowMinutes + 1 }, () => ({ minute: -1, requests: 0, tokens: 0, costMicros: 0 }));
  }

  /** Counts one request at `atMs`. */
  add(atMs: number, tokens: number, costMicros: number): void {
    const minute = Math.floor(atMs / 60_000);
    const bucket = this.buckets[minute % this.buckets.length]!;
    if (bucket.minute !== minute) {
      bucket.minute = minute;
      bucket.requests = 0;
      bucket.tokens = 0;
      bucket.costMicros = 0;
    }
    bucket.requests += 1;
    bucket.tokens += tokens;
    bucket.costMicros += costMicros;
  }

  /** Averages per minute over the window ending now. */
  rates(nowMs = Date.now()): RealtimeRates {
    const current = Math.floor(nowMs / 60_000);
    let requests = 0;
    let tokens = 0;
    let costMicros = 0;
    for (const bucket of this.buckets) {
      if (bucket.minute > current - this.buckets.length && bucket.minute <= current) {
        requests += bucket.requests;
        tokens += bucket.tokens;
        costMicros += bucket.costMicros;
      }
    }
    const minutes = this.windowMinutes;
    return {
      windowMinutes: minutes,
      requestsPerMinute: requests / minutes,
      tokensPerMinute: tokens / minutes,
      costMicrosPerMinute: costMicros / minutes,
    };
  }
}
