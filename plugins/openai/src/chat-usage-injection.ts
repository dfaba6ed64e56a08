/**
 * Streamed chat answers carry usage only when the client asks for
 * `stream_options.include_usage`. So that every streamed request is counted, the
 * `openai-api` adapter asks for it on the client's behalf and removes the extra usage
 * chunk (`choices: []` with `usage`) from what the client gets, reading the usage itself.
 * Requests that already ask for it go upstream byte for byte.
 */
import { isRecord, parseJsonSafely } from '@switchyard/plugin-api';
import type { RelayRequest, Usage, UpstreamResponse } from '@switchyard/plugin-api';
import { chatUsageCodec } from './chat-usage-codec.js';
import { OPENAI_CHAT } from './openai-chat-protocol.js';

/** The body with `stream_options.include_usage` added, or undefined when nothing needs adding. */
export function bodyWithUsageRequested(request: RelayRequest): Record<string, unknown> | undefined {
  if (request.protocol !== OPENAI_CHAT || !request.stream || !isRecord(request.body)) return undefined;
  const options = isRecord(request.body.stream_options) ? request.body.stream_options : {};
  if (options.include_usage === true) return undefined;
  return Object.assign({}, request.body, { stream_options: Object.assign({}, options, { include_usage: true }) });
}

/** True for the usage-only chunk the client did not ask for. */
function isUsageOnlyFrame(frame: string): boolean {
  const data = frame
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).trimStart())
    .join('\n');
  const parsed = parseJsonSafely(data);
  return isRecord(parsed) && Array.isArray(parsed.choices) && parsed.choices.length === 0 && isRecord(parsed.usage);
}

/**
 * Wraps a successful streamed answer: frames pass through as they complete, the
 * usage-only frame is dropped, and `usage` resolves with what upstream reported.
 */
export function withoutInjectedUsage(response: UpstreamResponse): UpstreamResponse {
  const type = response.headers['content-type'];
  if (response.status >= 300 || !String(Array.isArray(type) ? type[0] : (type ?? '')).includes('event-stream')) return response;
  const tap = chatUsageCodec.createStreamTap();
  let settle: (usage: Usage | null) => void = () => {};
  const usage = new Promise<Usage | null>((resolve) => (settle = resolve));
  const source = response.body;
  async function* filtered(): AsyncGenerator<Uint8Array> {
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        tap.push(chunk);
        pending += decoder.decode(chunk, { stream: true });
        let out = '';
        for (let end = pending.search(/\r?\n\r?\n/); end >= 0; end = pending.search(/\r?\n\r?\n/)) {
          const separator = /\r?\n\r?\n/.exec(pending.slice(end))![0];
          const frame = pending.slice(0, end + separator.length);
          pending = pending.slice(end + separator.length);
          if (!isUsageOnlyFrame(frame)) out += frame;
        }
        if (out !== '') yield Buffer.from(out, 'utf8');
      }
      pending += decoder.decode();
      if (pending !== '' && !isUsageOnlyFrame(pending)) yield Buffer.from(pending, 'utf8');
    } finally {
      settle(tap.end());
    }
  }
  return { ...response, body: filtered(), usage };
}
