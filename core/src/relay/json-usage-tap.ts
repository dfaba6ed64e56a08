import type { StreamUsageTap, UsageCodec } from '@switchyard/plugin-api';

/** Largest unary body parsed for usage; a larger one is still relayed, just not read. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A tap for unary JSON answers: keeps a copy of the bytes and reads usage at the end. */
export function jsonUsageTap(codec: UsageCodec): StreamUsageTap & { bytes(): Buffer | undefined } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let overflow = false;
  const bytes = (): Buffer | undefined => (overflow ? undefined : Buffer.concat(chunks));
  return {
    push(chunk) {
      if (overflow) return;
      size += chunk.length;
      if (size > MAX_BUFFERED_BYTES) {
        overflow = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    },
    end() {
      const body = bytes();
      if (!body?.length) return null;
      try {
        return codec.fromJson(JSON.parse(body.toString('utf8')));
      } catch {
        return null;
      }
    },
    bytes,
  };
}
