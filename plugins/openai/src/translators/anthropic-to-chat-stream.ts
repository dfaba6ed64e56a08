/**
 * Anthropic Messages SSE -> OpenAI chat chunks: text deltas, tool_use blocks (announced
 * with id and name, then `input_json_delta` argument deltas), stop reason and usage
 * (`message_start` input counts plus `message_delta` output count), errors.
 */
import {
  createSseStreamTranslator,
  type StreamTranslator,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
} from '@switchyard/plugin-api';
import { ChatStreamWriter } from './chat-stream-writer.js';
import { chatUsageFromAnthropic, finishFromStopReason } from './anthropic-to-chat.js';

/** A converter for one Anthropic Messages stream. */
export function createAnthropicToChatStream(model: string | undefined, includeUsage: boolean): StreamTranslator {
  const writer = new ChatStreamWriter(model, includeUsage);
  const toolIndex = new Map<number, number>();
  let usage: Record<string, unknown> = {};
  let stopReason: unknown;
  let failed = false;

  const onEvent = (data: Record<string, unknown>): string => {
    let out = '';
    switch (data.type) {
      case 'message_start':
        if (isRecord(data.message)) {
          writer.id = nonEmptyString(data.message.id) ?? writer.id;
          writer.model = nonEmptyString(data.message.model) ?? writer.model;
          if (isRecord(data.message.usage)) usage = { ...data.message.usage };
        }
        out += writer.start();
        break;
      case 'content_block_start':
        if (isRecord(data.content_block) && data.content_block.type === 'tool_use' && typeof data.index === 'number') {
          const index = toolIndex.size;
          toolIndex.set(data.index, index);
          out += writer.toolCall(index, {
            id: nonEmptyString(data.content_block.id) ?? '',
            name: nonEmptyString(data.content_block.name) ?? '',
            arguments: '',
          });
        }
        break;
      case 'content_block_delta':
        if (!isRecord(data.delta)) break;
        if (data.delta.type === 'text_delta' && typeof data.delta.text === 'string')
          out += writer.delta({ content: data.delta.text });
        if (
          data.delta.type === 'input_json_delta' &&
          typeof data.delta.partial_json === 'string' &&
          typeof data.index === 'number'
        ) {
          const index = toolIndex.get(data.index);
          if (index !== undefined && data.delta.partial_json !== '')
            out += writer.toolCall(index, { arguments: data.delta.partial_json });
        }
        break;
      case 'message_delta':
        if (isRecord(data.delta) && data.delta.stop_reason !== undefined && data.delta.stop_reason !== null)
          stopReason = data.delta.stop_reason;
        if (isRecord(data.usage))
          usage = { ...usage, ...Object.fromEntries(Object.entries(data.usage).filter(([, value]) => value !== null)) };
        if (stopReason !== undefined) out += writer.finish(finishFromStopReason(stopReason));
        break;
      case 'error': {
        const error = isRecord(data.error) ? data.error : {};
        failed = true;
        out += writer.error(
          nonEmptyString(error.message) ?? 'upstream error',
          nonEmptyString(error.type) ?? 'api_error',
          nonEmptyString(error.type) ?? null,
        );
        break;
      }
      default:
        break;
    }
    return out;
  };

  return createSseStreamTranslator(
    (event) => {
      const data = parseJsonSafely(event.data);
      return isRecord(data) ? onEvent(data) : '';
    },
    () =>
      failed
        ? ''
        : writer.end(Object.keys(usage).length > 0 ? chatUsageFromAnthropic(usage) : undefined, finishFromStopReason(stopReason)),
  );
}
