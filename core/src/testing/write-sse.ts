/**
 * Writes server-sent events from a fake upstream, one frame per write, with a pause
 * between frames, the way a provider streams tokens.
 */
import type http from 'node:http';

/** One event to write. `data` strings are written as they are; anything else as JSON. */
export interface SseFrame {
  event?: string;
  data: unknown;
}

/** Options of {@link writeSse}. */
export interface WriteSseOptions {
  /** Pause between two frames, in milliseconds (default 0: still one write per frame). */
  intervalMs?: number;
  /** Status, when the headers were not sent yet (default 200). */
  status?: number;
  /** Extra response headers (when the headers were not sent yet). */
  headers?: Record<string, string>;
  /** Line ending of every line of the frame (default `\n`). */
  lineEnding?: '\n' | '\r\n';
  /** End the response after the last frame (default true). */
  end?: boolean;
}

/** Formats one frame with the given line ending; multi-line data becomes several `data:` lines. */
export function formatSseFrame(frame: SseFrame, lineEnding: '\n' | '\r\n' = '\n'): string {
  const payload = typeof frame.data === 'string' ? frame.data : JSON.stringify(frame.data);
  const lines = payload
    .split(/\r?\n/)
    .map((line) => `data: ${line}${lineEnding}`)
    .join('');
  return `${frame.event !== undefined ? `event: ${frame.event}${lineEnding}` : ''}${lines}${lineEnding}`;
}

function pause(ms: number, res: http.ServerResponse): Promise<void> {
  if (ms <= 0) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

/**
 * Writes `events` as SSE frames, each in its own `write`, `intervalMs` apart, then ends
 * the response. Stops quietly as soon as the client goes away.
 *
 * @example
 * await writeSse(res, [{ event: 'start', data: {} }, { event: 'done', data: { usage } }], { intervalMs: 30 });
 */
export async function writeSse(
  res: http.ServerResponse,
  events: readonly SseFrame[],
  options: WriteSseOptions = {},
): Promise<void> {
  const lineEnding = options.lineEnding ?? '\n';
  let closed = res.destroyed;
  res.once('close', () => {
    closed = true;
  });
  if (!res.headersSent) {
    res.writeHead(options.status ?? 200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      ...options.headers,
    });
    res.flushHeaders();
  }
  for (let index = 0; index < events.length; index += 1) {
    if (closed) return;
    res.write(formatSseFrame(events[index]!, lineEnding));
    if (index < events.length - 1) await pause(options.intervalMs ?? 0, res);
  }
  if (!closed && options.end !== false) res.end();
}
