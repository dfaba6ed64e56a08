/**
 * Gemini SSE (`?alt=sse`) -> OpenAI chat chunks: each `GenerateContentResponse` gives
 * text deltas and whole function calls; the finish reason and the last `usageMetadata`
 * close the stream.
 */
import { createSseParser, type StreamTranslator } from '@switchyard/core/plugin-api';
import { isRecord, parseJson, str } from '../json-util.js';
import { ChatStreamWriter, type ChatUsage } from './chat-stream-writer.js';
import { candidateParts, chatFinishReason, chatUsageFromGemini } from './gemini-to-chat.js';

/** A converter for one Gemini SSE stream (also accepts the Code Assist `{ response }` envelope). */
export function createGeminiToChatStream(model: string | undefined, includeUsage: boolean): StreamTranslator {
  const writer = new ChatStreamWriter(model, includeUsage);
  let toolCalls = 0;
  let usage: ChatUsage | undefined;
  let failed = false;
  let out = '';

  const parser = createSseParser((event) => {
    const parsed = parseJson(event.data);
    if (!isRecord(parsed)) return;
    if (isRecord(parsed.error)) {
      failed = true;
      out += writer.error(str(parsed.error.message) ?? 'upstream error', (str(parsed.error.status) ?? 'server_error').toLowerCase());
      return;
    }
    const response = isRecord(parsed.response) ? parsed.response : parsed;
    if (str(response.modelVersion)) writer.model = str(response.modelVersion)!;
    const { text, calls, finishReason } = candidateParts(response);
    if (text !== '') out += writer.delta({ content: text });
    for (const call of calls) {
      out += writer.toolCall(toolCalls, { id: call.id ?? `call_${toolCalls}`, name: call.name, arguments: JSON.stringify(call.args) });
      toolCalls += 1;
    }
    usage = chatUsageFromGemini(response.usageMetadata) ?? usage;
    if (finishReason) out += writer.finish(chatFinishReason(finishReason, toolCalls > 0));
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
      if (!failed) out += writer.end(usage, toolCalls > 0 ? 'tool_calls' : 'stop');
      return flush();
    },
  };
}
