/**
 * Responses API typed SSE -> OpenAI chat chunks, event by event: text and refusal
 * deltas, function calls (announced with id and name, then argument deltas), finish
 * reason and usage from `response.completed` / `response.incomplete`, errors.
 */
import {
  createSseStreamTranslator,
  type StreamTranslator,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
} from '@switchyard/plugin-api';
import { ChatStreamWriter, type ChatUsage } from './chat-stream-writer.js';
import { chatUsageFromResponses, finishReasonOf } from './responses-to-chat.js';

/** A converter for one Responses stream. */
export function createResponsesToChatStream(model: string | undefined, includeUsage: boolean): StreamTranslator {
  const writer = new ChatStreamWriter(model, includeUsage);
  const toolIndex = new Map<string, number>();
  let usage: ChatUsage | undefined;
  let reason: string | undefined;

  const onEvent = (data: Record<string, unknown>): string => {
    let out = '';
    const type = data.type;
    if (type === 'response.created' && isRecord(data.response)) {
      writer.id = nonEmptyString(data.response.id) ?? writer.id;
      writer.model = nonEmptyString(data.response.model) ?? writer.model;
      out += writer.start();
    } else if (type === 'response.output_text.delta' && typeof data.delta === 'string') {
      out += writer.delta({ content: data.delta });
    } else if (type === 'response.refusal.delta' && typeof data.delta === 'string') {
      out += writer.delta({ refusal: data.delta });
    } else if (type === 'response.output_item.added' && isRecord(data.item) && data.item.type === 'function_call') {
      const index = toolIndex.size;
      toolIndex.set(nonEmptyString(data.item.id) ?? String(data.output_index), index);
      out += writer.toolCall(index, {
        id: nonEmptyString(data.item.call_id) ?? '',
        name: nonEmptyString(data.item.name) ?? '',
        arguments: '',
      });
    } else if (type === 'response.function_call_arguments.delta' && typeof data.delta === 'string') {
      const index = toolIndex.get(nonEmptyString(data.item_id) ?? String(data.output_index));
      if (index !== undefined) out += writer.toolCall(index, { arguments: data.delta });
    } else if ((type === 'response.completed' || type === 'response.incomplete') && isRecord(data.response)) {
      usage = chatUsageFromResponses(data.response.usage);
      reason = finishReasonOf(data.response, toolIndex.size > 0);
      out += writer.finish(reason);
    } else if (type === 'response.failed' || type === 'error') {
      const error = isRecord(data.response) && isRecord(data.response.error) ? data.response.error : data;
      out += writer.error(
        nonEmptyString(error.message) ?? 'The upstream response failed.',
        'server_error',
        nonEmptyString(error.code) ?? null,
      );
      reason = 'error';
    }
    return out;
  };

  return createSseStreamTranslator(
    (event) => {
      const data = parseJsonSafely(event.data);
      return isRecord(data) ? onEvent(data) : '';
    },
    () => (reason !== 'error' ? writer.end(usage, toolIndex.size > 0 ? 'tool_calls' : 'stop') : ''),
  );
}
