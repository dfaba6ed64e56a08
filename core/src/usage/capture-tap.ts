/** Keeps the first bytes of an answer for the request log, when prompt capture is on. */
import type { StreamUsageTap } from '@switchyard/plugin-api';

/** Where the sample goes (the relay's `Served`). */
export interface CaptureTarget {
  responseSample?: Uint8Array;
  responseSampleTruncated?: boolean;
}

/**
 * Wraps a usage tap: every chunk still reaches `tap`, and up to `maxBytes` of them are
 * copied into `target.responseSample`; `responseSampleTruncated` tells whether more came.
 */
export function captureTap(tap: StreamUsageTap, target: CaptureTarget, maxBytes: number): StreamUsageTap {
  const parts: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  return {
    push(chunk) {
      seen += chunk.length;
      if (kept < maxBytes) {
        const part = Buffer.from(chunk.subarray(0, maxBytes - kept));
        parts.push(part);
        kept += part.length;
      }
      tap.push(chunk);
    },
    end() {
      if (parts.length) target.responseSample = Buffer.concat(parts);
      target.responseSampleTruncated = seen > kept;
      return tap.end();
    },
  };
}
