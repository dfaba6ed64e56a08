/**
 * Anthropic Messages SSE -> OpenAI chat chunks: text deltas, tool_use blocks (announced
 * with id and name, then `input_json_delta` argument deltas), stop reason and usage
 * (`message_start` input counts plus `message_delta` output count), errors.
 */
import { createSseParser, type StreamTranslator } from '@switchyard/core/plugin-api';
import { isRecord, parseJson, str } from '../json-util.js';
import { ChatStreamWriter } from './chat-stream-writer.js';
import { chatUsageFromAnthropic, finishFromStopReason } from './anthropic-to-chat.js';

/** A converter for one Anthropic Messages stream. */
export function createAnthropicToChatStream(model: string | undefined, includeUsage: boolean): StreamTranslator {
  const writer = new ChatStreamWriter(model, includeUsage);
  const toolIndex = new Map<number, number>();
  let usage: Record<string, unknown> = {};
  let stopReason: unknown;
  let failed = false;
  let out = '';

  const onEvent = (data: Record<string, unknown>): void => {
    switch (data.type) {
      case 'message_start':
        if (isRecord(data.message)) {
          writer.id = str(data.message.id) ?? writer.id;
          writer.model = str(data.message.model) ?? writer.model;
          if (isRecord(data.message.usage)) usage = { ...data.message.usage };
        }
        out += writer.start();
        break;
      case 'content_block_start':
        if (isRecord(data.content_block) && data.content_block.type === 'tool_use' && typeof data.index === 'number') {
          const index = toolIndex.size;
          toolIndex.set(data.index, index);
          out += writer.toolCall(index, { id: str(data.content_block.id) ?? '', name: str(data.content_block.name) ?? '', arguments: '' });
        }
        break;
      case 'content_block_delta':
        if (!isRecord(data.delta)) break;
        if (data.delta.type === 'text_delta' && typeof data.delta.text === 'string') out += writer.delta({ content: data.delta.text });
        if (data.delta.type === 'input_json_delta' && typeof data.delta.partial_json === 'string' && typeof data.index === 'number') {
          const index = toolIndex.get(data.index);
          if (index !== undefined && data.delta.partial_json !== '') out += writer.toolCall(index, { arguments: data.delta.partial_json });
        }
        break;
      case 'message_delta':
        if (isRecord(data.delta) && data.delta.stop_reason !== undefined && data.delta.stop_reason !== null) stopReason = data.delta.stop_reason;
        if (isRecord(data.usage)) usage = { ...usage, ...Object.fromEntries(Object.entries(data.usage).filter(([, value]) => value !== null)) };
        if (stopReason !== undefined) out += writer.finish(finishFromStopReason(stopReason));
        break;
      case 'error': {
        const error = isRecord(data.error) ? data.error : {};
        failed = true;
        out += writer.error(str(error.message) ?? 'upstream error', str(error.type) ?? 'api_error', str(error.type) ?? null);
        break;
      }
      default:
        break;
    }
  };

  const parser = createSseParser((event) => {
    const data = parseJson(event.data);
    if (isRecord(data)) onEvent(data);
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
      if (!failed) out += writer.end(Object.keys(usage).length > 0 ? chatUsageFromAnthropic(usage) : undefined, finishFromStopReason(stopReason));
      return flush();
    },
  };
}
