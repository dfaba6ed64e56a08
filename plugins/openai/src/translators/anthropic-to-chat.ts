/**
 * Anthropic Messages answers -> OpenAI chat answers: unary messages, usage, stop
 * reasons and errors.
 */
import { isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { chatUsageObject, type ChatUsage } from './chat-stream-writer.js';

/** The chat finish reason for an Anthropic `stop_reason`. */
export function finishFromStopReason(reason: unknown): string {
  if (reason === 'tool_use') return 'tool_calls';
  if (reason === 'max_tokens') return 'length';
  if (reason === 'refusal') return 'content_filter';
  return 'stop';
}

/** Chat usage from Anthropic usage (prompt tokens include cache reads and writes). */
export function chatUsageFromAnthropic(usage: Record<string, unknown>): ChatUsage {
  const cacheRead = tokenCount(usage.cache_read_input_tokens);
  const prompt = tokenCount(usage.input_tokens) + tokenCount(usage.cache_creation_input_tokens) + cacheRead;
  return chatUsageObject(prompt, tokenCount(usage.output_tokens), cacheRead, 0);
}

/** Converts a unary Anthropic message into a `chat.completion`. */
export function anthropicToChatResponse(body: unknown, model: string | undefined): unknown {
  if (!isRecord(body)) return body;
  let text = '';
  const toolCalls: unknown[] = [];
  for (const block of Array.isArray(body.content) ? body.content : []) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    if (block.type === 'tool_use')
      toolCalls.push({
        id: nonEmptyString(block.id),
        type: 'function',
        function: { name: nonEmptyString(block.name) ?? '', arguments: JSON.stringify(block.input ?? {}) },
      });
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: nonEmptyString(body.id) ?? 'chatcmpl',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: nonEmptyString(body.model) ?? model ?? 'unknown',
    choices: [{ index: 0, message, finish_reason: finishFromStopReason(body.stop_reason), logprobs: null }],
    ...(isRecord(body.usage) ? { usage: chatUsageFromAnthropic(body.usage) } : {}),
  };
}

/** Anthropic error JSON -> OpenAI error JSON. */
export function anthropicToOpenAiError(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.error)) return body;
  const type = nonEmptyString(body.error.type) ?? 'api_error';
  return { error: { message: nonEmptyString(body.error.message) ?? 'upstream error', type, param: null, code: type } };
}
