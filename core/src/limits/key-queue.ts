/**
 * Per-key concurrency with a fair waiting line (a part of key-admission.ts): a request takes one of the key's
 * `concurrency` slots (a lease in `key:<keyId>`), or waits its turn in the key's queue
 * (first come, first served across every instance sharing the store) until a slot
 * frees, its client leaves, or the queue timeout passes.
 */
import { GatewayError, type Logger } from '@switchyard/plugin-api';
import { UNLIMITED, type Lease } from '../scheduler/lease.js';
import { LeaseLine } from '../scheduler/lease-line.js';
import type { Store } from '../store/types.js';
import type { GatewayConfig } from '../config/schema.js';
import type { KeyLimits } from './key-limits-schema.js';
import { formatSpan } from './duration.js';

/** What the queue needs. */
export interface KeyQueueDeps {
  store: Pick<Store, 'leases' | 'leaseQueues'>;
  config: Pick<GatewayConfig, 'scheduling'>;
  /** The operator's default queue for keys without one (runtime settings); none when absent. */
  defaultQueue?(concurrency: number): Promise<{ size: number; timeoutMs: number } | undefined>;
}

/** The lease scope of a key's concurrency slots. */
export function keyScope(keyId: string): string {
  return `key:${keyId}`;
}

/** Hands out per-key concurrency slots, queueing fairly when the key is full. */
export class KeyQueue {
  private readonly line: LeaseLine;

  constructor(private readonly deps: KeyQueueDeps) {
    this.line = new LeaseLine(
      deps.store,
      () => deps.config.scheduling.leaseTtlMs,
      () => deps.config.scheduling.queuePollMs,
    );
  }

  /**
   * A slot for `requestId` in the key's scope; undefined when the client left while
   * waiting. Throws `concurrency_limit`, `queue_full` or `queue_timeout` (429 with Retry-After).
   */
  async enter(keyId: string, requestId: string, limits: KeyLimits, signal: AbortSignal, log: Logger): Promise<Lease | undefined> {
    const scope = keyScope(keyId);
    const limit = limits.concurrency && limits.concurrency > 0 ? limits.concurrency : UNLIMITED;
    const queue = limits.queue ?? (limit === UNLIMITED ? undefined : await this.deps.defaultQueue?.(limit));
    if (limit === UNLIMITED || !queue || queue.size === 0) {
      if (await this.deps.store.leases.acquire(scope, requestId, limit, this.deps.config.scheduling.leaseTtlMs))
        return this.line.hold(scope, requestId, log);
      throw new GatewayError(
        'concurrency_limit',
        `This key already has ${limit} requests in flight, its concurrency limit; retry when one finishes.`,
        {
          retryAfterMs: 1000,
          details: { limit: 'concurrency', max: limit },
        },
      );
    }
    const outcome = await this.line.acquire({
      scope,
      holder: requestId,
      limit,
      maxWaiting: queue.size,
      timeoutMs: queue.timeoutMs,
      signal,
      log,
    });
    if (outcome.kind === 'acquired') return outcome.lease;
    if (outcome.kind === 'aborted') return undefined;
    if (outcome.kind === 'full') {
      throw new GatewayError(
        'queue_full',
        `This key already has ${limit} requests in flight and ${queue.size} waiting, its concurrency and queue limits; retry later.`,
        {
          retryAfterMs: Math.min(Math.max(queue.timeoutMs, 1000), 30_000),
          details: { limit: 'queue', concurrency: limit, queueSize: queue.size },
        },
      );
    }
    throw new GatewayError(
      'queue_timeout',
      `This request waited ${formatSpan(queue.timeoutMs)} for one of this key's ${limit} concurrent slots without getting one; retry later.`,
      {
        retryAfterMs: Math.min(Math.max(queue.timeoutMs / 2, 1000), 30_000),
        details: { limit: 'queue', concurrency: limit, timeoutMs: queue.timeoutMs },
      },
    );
  }
}
