/**
 * The plumbing every SSE-to-SSE stream translator repeats: parse the upstream bytes into
 * events, collect the text each event yields, and hand it out on each `push` (or `null`
 * when there is none yet), with optional closing text at `end`.
 */
import { createSseParser, type SseEvent } from './sse.js';
import type { StreamTranslator } from './translator.js';

/**
 * A `StreamTranslator` driven by upstream SSE events.
 *
 * @param onEvent - Called once per complete upstream event, in order; returns the text to
 *   send to the client for it (`''` for nothing).
 * @param onEnd - Called once after the upstream stream ended and any last event was
 *   delivered; returns closing text (`''` for nothing). Defaults to nothing.
 * @returns A translator whose `push` and `end` return the collected text, or `null` when
 *   there is none.
 */
export function createSseStreamTranslator(
  onEvent: (event: SseEvent) => string,
  onEnd: () => string = () => '',
): StreamTranslator {
  let out = '';
  const parser = createSseParser((event) => {
    out += onEvent(event);
  });
  const flush = (): string | null => {
    const text = out;
    out = '';
    return text === '' ? null : text;
  };
  return {
    push(chunk) {
      parser.push(chunk);
      return flush();
    },
    end() {
      parser.end();
      out += onEnd();
      return flush();
    },
  };
}
