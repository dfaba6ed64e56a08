/**
 * Gemini SSE (`streamGenerateContent?alt=sse`) -> Anthropic Messages SSE, chunk by chunk
 * as they arrive: `message_start` at the first chunk, text in a text block, each whole
 * `functionCall` as a `tool_use` block (its arguments in one `input_json_delta`), and at
 * the end the stop reason with the last `usageMetadata`. A stream that ends without a
 * finish reason ends with an `error` event, not a made-up `end_turn`.
 */
import {
  createSseStreamTranslator,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
  type StreamTranslator,
} from '@switchyard/plugin-api';
import { MessagesStreamWriter, messagesErrorType, type MessagesUsage } from './messages-stream-writer.js';
import { candidateContent, messagesUsageFromGemini, stopReasonFromGemini } from './gemini-to-messages-answer.js';

/** A converter for one Gemini SSE stream; `model` is the model the request named. */
export function createGeminiToMessagesStream(model: string | undefined): StreamTranslator {
  const writer = new MessagesStreamWriter(model ?? 'unknown');
  let toolCalls = 0;
  let finishReason: string | undefined;
  let usage: MessagesUsage | undefined;

  const onChunk = (chunk: Record<string, unknown>): string => {
    if (isRecord(chunk.error)) {
      const status = typeof chunk.error.code === 'number' ? chunk.error.code : 500;
      return writer.start() + writer.error(messagesErrorType(status), nonEmptyString(chunk.error.message) ?? 'upstream error');
    }
    const response = isRecord(chunk.response) ? chunk.response : chunk;
    let out = writer.start(nonEmptyString(response.modelVersion));
    const content = candidateContent(response);
    for (const text of content.texts) out += writer.text(text);
    for (const call of content.calls) {
      const started = writer.toolStart(call.id, call.name);
      out += started.out + writer.toolArguments(started.index, JSON.stringify(call.args));
      toolCalls += 1;
    }
    usage = messagesUsageFromGemini(response.usageMetadata) ?? usage;
    finishReason = content.finishReason ?? finishReason;
    return out;
  };

  return createSseStreamTranslator(
    (event) => {
      if (writer.done) return '';
      const chunk = parseJsonSafely(event.data);
      return isRecord(chunk) ? onChunk(chunk) : '';
    },
    () => {
      if (writer.done) return '';
      if (finishReason === undefined)
        return writer.start() + writer.error('api_error', 'The upstream stream ended before the answer was complete.');
      return writer.finish(stopReasonFromGemini(finishReason, toolCalls > 0), usage);
    },
  );
}
