/**
 * A usage tap over an SSE stream whose `data:` frames are JSON (the OpenAI dialects):
 * each parsed frame goes to `onData`; `[DONE]` and non-JSON frames are skipped. Never throws.
 */
import { createSseUsageTap, type StreamUsageTap, type Usage, parseJsonSafely } from '@switchyard/core/plugin-api';

/** Creates a tap calling `onData(json, eventName)` per frame and returning `result()` at the end. */
export function createSseJsonTap(onData: (data: unknown, event: string | undefined) => void, result: () => Usage | null): StreamUsageTap {
  return createSseUsageTap((event) => {
    if (event.data === '[DONE]') return;
    const data = parseJsonSafely(event.data);
    if (data !== undefined) onData(data, event.event);
  }, result);
}
