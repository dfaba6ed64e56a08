/**
 * Gemini SSE (`?alt=sse`) -> OpenAI chat chunks: each `GenerateContentResponse` gives
 * text deltas and whole function calls; the finish reason and the last `usageMetadata`
 * close the stream.
 */
import {
  createSseStreamTranslator,
  type SseEvent,
  type StreamTranslator,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
} from '@switchyard/plugin-api';
import { ChatStreamWriter, type ChatUsage } from './chat-stream-writer.js';
import { candidateParts, chatFinishReason, chatUsageFromGemini } from './gemini-to-chat.js';

/** A converter for one Gemini SSE stream (also accepts the Code Assist `{ response }` envelope). */
export function createGeminiToChatStream(model: string | undefined, includeUsage: boolean): StreamTranslator {
  const writer = new ChatStreamWriter(model, includeUsage);
  let toolCalls = 0;
  let usage: ChatUsage | undefined;
  let failed = false;

  const onEvent = (event: SseEvent): string => {
    const parsed = parseJsonSafely(event.data);
    if (!isRecord(parsed)) return '';
    if (isRecord(parsed.error)) {
      failed = true;
      return writer.error(
        nonEmptyString(parsed.error.message) ?? 'upstream error',
        (nonEmptyString(parsed.error.status) ?? 'server_error').toLowerCase(),
      );
    }
    let out = '';
    const response = isRecord(parsed.response) ? parsed.response : parsed;
    if (nonEmptyString(response.modelVersion)) writer.model = nonEmptyString(response.modelVersion)!;
    const { text, calls, finishReason } = candidateParts(response);
    if (text !== '') out += writer.delta({ content: text });
    for (const call of calls) {
      out += writer.toolCall(toolCalls, {
        id: call.id ?? `call_${toolCalls}`,
        name: call.name,
        arguments: JSON.stringify(call.args),
      });
      toolCalls += 1;
    }
    usage = chatUsageFromGemini(response.usageMetadata) ?? usage;
    if (finishReason) out += writer.finish(chatFinishReason(finishReason, toolCalls > 0));
    return out;
  };

  return createSseStreamTranslator(onEvent, () => (failed ? '' : writer.end(usage, toolCalls > 0 ? 'tool_calls' : 'stop')));
}
