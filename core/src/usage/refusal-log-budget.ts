/**
 * How many refused requests the request log takes per key and minute
 * (`usage.requestLog.refusalsPerMinute`), so that a flood of refusals (a scanner trying
 * keys, a client hammering its rate limit) cannot grow the store without bound. Requests
 * refused before any key was recognised share one allowance (key id `''`).
 */
import type { Logger } from '@switchyard/plugin-api';

const MINUTE_MS = 60_000;

/** Per-instance allowance of refusal records, reset every wall-clock minute. */
export class RefusalLogBudget {
  private minute = -1;
  /** Records taken this minute, by key id. Its size is bounded by the number of real keys (plus `''`). */
  private readonly taken = new Map<string, number>();
  private leftOut = 0;

  constructor(
    private readonly perMinute: number,
    private readonly log: Logger,
  ) {}

  /** True when the refusal of a request by `keyId` (`''`: no key) may be recorded now. */
  admit(keyId: string, now = Date.now()): boolean {
    const minute = Math.floor(now / MINUTE_MS);
    if (minute !== this.minute) {
      if (this.leftOut > 0)
        this.log.warn('refused requests left out of the request log (usage.requestLog.refusalsPerMinute)', {
          count: this.leftOut,
        });
      this.minute = minute;
      this.taken.clear();
      this.leftOut = 0;
    }
    const taken = this.taken.get(keyId) ?? 0;
    if (taken >= this.perMinute) {
      this.leftOut += 1;
      return false;
    }
    this.taken.set(keyId, taken + 1);
    return true;
  }
}
