/**
 * A usage tap over an SSE stream whose `data:` frames are JSON (the OpenAI dialects):
 * each parsed frame goes to `onData`; `[DONE]` and non-JSON frames are skipped. Never throws.
 */
import { createSseParser, type StreamUsageTap, type Usage } from '@switchyard/core/plugin-api';
import { parseJson } from './json-util.js';

/** Creates a tap calling `onData(json, eventName)` per frame and returning `result()` at the end. */
export function createSseJsonTap(onData: (data: unknown, event: string | undefined) => void, result: () => Usage | null): StreamUsageTap {
  const parser = createSseParser((event) => {
    if (event.data === '[DONE]') return;
    const data = parseJson(event.data);
    if (data !== undefined) onData(data, event.event);
  });
  return {
    push(chunk) {
      try {
        parser.push(chunk);
      } catch {
        // An odd stream yields no usage; it never breaks the relay.
      }
    },
    end() {
      try {
        parser.end();
        return result();
      } catch {
        return null;
      }
    },
  };
}
