/**
 * How many request-body bytes the process may hold in memory at once, across all
 * requests (`server.maxBufferedBodyMb`). A body reserves its bytes before (or while) it
 * is read and gives them back when its response is over; a body that does not fit is
 * refused instead of growing the heap.
 */
export class BodyBudget {
  private used = 0;

  constructor(readonly capacityBytes: number) {}

  /** Bytes reserved right now. */
  get usedBytes(): number {
    return this.used;
  }

  /** Reserves `bytes` when they fit; false (and nothing reserved) when they do not. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.capacityBytes) return false;
    this.used += bytes;
    return true;
  }

  /** Gives back `bytes` reserved earlier. */
  release(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
