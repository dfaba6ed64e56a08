import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One server-sent event. */
export interface SseEvent {
  /** The `event:` name, when the frame had one. */
  event?: string;
  data: string;
  id?: string;
}

/** Parses a byte stream of server-sent events incrementally. */
export interface SseParser {
  push(chunk: Uint8Array | string): void;
  /** Flushes a final event that lacked its blank-line terminator. */
  end(): void;
}

/**
 * Creates an incremental SSE parser calling `onEvent` for each complete event, for
 * usage taps and translators. It parses a copy: forward the original bytes untouched.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): SseParser {
  const decoder = new TextDecoder();
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      const event: SseEvent = { data: message.data };
      if (message.event !== undefined) event.event = message.event;
      if (message.id !== undefined) event.id = message.id;
      onEvent(event);
    },
  });
  return {
    push(chunk) {
      parser.feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      const rest = decoder.decode();
      parser.feed(rest + '\n\n');
    },
  };
}

/** Formats one SSE frame, `event:` line included when `event` is given. */
export function formatSse(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  const lines = payload.split(/\r?\n/).map((line) => `data: ${line}`).join('\n');
  return `${event ? `event: ${event}\n` : ''}${lines}\n\n`;
}
