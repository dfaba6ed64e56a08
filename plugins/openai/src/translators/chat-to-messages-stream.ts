/**
 * OpenAI chat chunks -> Anthropic Messages SSE, event by event as the chunks arrive:
 * `message_start` at the first chunk, text deltas in a text block, each tool call in a
 * `tool_use` block of its own (`input_json_delta` argument deltas), and at the end the
 * stop reason with the usage of the usage chunk (asked for by the request converter).
 * A stream that ends without a finish reason or `[DONE]` ends with an `error` event,
 * not a made-up `end_turn`.
 */
import {
  createSseStreamTranslator,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
  type StreamTranslator,
} from '@switchyard/plugin-api';
import { messagesId, MessagesStreamWriter, type MessagesUsage } from './messages-stream-writer.js';
import { messagesUsageFromChat, stopReasonFromFinish } from './chat-to-messages-answer.js';

/** A converter for one streamed chat answer; `model` is the model the request named. */
export function createChatToMessagesStream(model: string | undefined): StreamTranslator {
  const writer = new MessagesStreamWriter(model ?? 'unknown');
  /** Chat tool call index -> Anthropic block index. */
  const tools = new Map<number, number>();
  let finish: unknown;
  let done = false;
  let usage: MessagesUsage | undefined;

  const onChunk = (chunk: Record<string, unknown>): string => {
    if (isRecord(chunk.error)) {
      const message = nonEmptyString(chunk.error.message) ?? 'upstream error';
      return writer.error('api_error', message);
    }
    let out = writer.start(nonEmptyString(chunk.model));
    usage = messagesUsageFromChat(chunk.usage) ?? usage;
    const choice = Array.isArray(chunk.choices) && isRecord(chunk.choices[0]) ? chunk.choices[0] : undefined;
    if (!choice) return out;
    const delta = isRecord(choice.delta) ? choice.delta : {};
    if (typeof delta.content === 'string') out += writer.text(delta.content);
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      if (!isRecord(call)) continue;
      const fn = isRecord(call.function) ? call.function : {};
      const index = typeof call.index === 'number' ? call.index : tools.size;
      let block = tools.get(index);
      if (block === undefined) {
        const started = writer.toolStart(nonEmptyString(call.id) ?? messagesId('toolu'), nonEmptyString(fn.name) ?? '');
        out += started.out;
        block = started.index;
        tools.set(index, block);
      }
      if (typeof fn.arguments === 'string') out += writer.toolArguments(block, fn.arguments);
    }
    if (choice.finish_reason !== undefined && choice.finish_reason !== null) finish = choice.finish_reason;
    return out;
  };

  return createSseStreamTranslator(
    (event) => {
      if (writer.done) return '';
      if (event.data.trim() === '[DONE]') {
        done = true;
        return '';
      }
      const chunk = parseJsonSafely(event.data);
      return isRecord(chunk) ? onChunk(chunk) : '';
    },
    () => {
      if (writer.done) return '';
      if (finish === undefined && !done)
        return writer.start() + writer.error('api_error', 'The upstream stream ended before the answer was complete.');
      const stop = tools.size > 0 && (finish === 'stop' || finish === undefined) ? 'tool_use' : stopReasonFromFinish(finish);
      return writer.finish(stop, usage);
    },
  );
}
