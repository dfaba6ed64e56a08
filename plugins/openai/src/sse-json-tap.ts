/**
 * A usage tap over an SSE stream whose `data:` frames are JSON (the OpenAI dialects):
 * each parsed frame goes to `onData`; `[DONE]` and non-JSON frames are skipped. Never throws.
 */
import {
  createSseUsageTap,
  type SseParserOptions,
  type StreamUsageTap,
  type Usage,
  parseJsonSafely,
} from '@switchyard/plugin-api';

/** Which frames are worth parsing; content frames make up most of a stream. */
export interface SseJsonTapOptions extends SseParserOptions {
  /** Called with a frame's raw text; false skips it unparsed. Absent: every frame is parsed. */
  worthParsing?(text: string): boolean;
}

/** Creates a tap calling `onData(json, eventName)` per frame and returning `result()` at the end. */
export function createSseJsonTap(
  onData: (data: unknown, event: string | undefined) => void,
  result: () => Usage | null,
  options: SseJsonTapOptions = {},
): StreamUsageTap {
  const { worthParsing, ...parserOptions } = options;
  return createSseUsageTap(
    (event) => {
      if (event.data === '[DONE]' || (worthParsing && !worthParsing(event.data))) return;
      const data = parseJsonSafely(event.data);
      if (data !== undefined) onData(data, event.event);
    },
    result,
    parserOptions,
  );
}
