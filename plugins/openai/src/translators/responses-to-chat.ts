/**
 * Responses API answers -> OpenAI chat answers: a unary response object into a
 * `chat.completion`, usage and finish reasons mapped.
 */
import { isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { chatUsageObject, type ChatUsage } from './chat-stream-writer.js';

/** Chat usage from a Responses `usage` object (input includes cached tokens on both sides). */
export function chatUsageFromResponses(usage: unknown): ChatUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const cached = isRecord(usage.input_tokens_details) ? tokenCount(usage.input_tokens_details.cached_tokens) : 0;
  const reasoning = isRecord(usage.output_tokens_details) ? tokenCount(usage.output_tokens_details.reasoning_tokens) : 0;
  return chatUsageObject(tokenCount(usage.input_tokens), tokenCount(usage.output_tokens), cached, reasoning);
}

/** The chat finish reason of a Responses response object. */
export function finishReasonOf(response: Record<string, unknown>, hasToolCalls: boolean): string {
  if (response.status === 'incomplete') {
    const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** Converts a unary Responses response object into a `chat.completion`. */
export function responsesToChatResponse(body: unknown, model: string | undefined): unknown {
  if (!isRecord(body)) return body;
  let text = '';
  let refusal: string | null = null;
  const toolCalls: unknown[] = [];
  for (const item of Array.isArray(body.output) ? body.output : []) {
    if (!isRecord(item)) continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content) {
        if (isRecord(part) && part.type === 'output_text' && typeof part.text === 'string') text += part.text;
        if (isRecord(part) && part.type === 'refusal' && typeof part.refusal === 'string')
          refusal = (refusal ?? '') + part.refusal;
      }
    }
    if (item.type === 'function_call') {
      toolCalls.push({
        id: nonEmptyString(item.call_id) ?? nonEmptyString(item.id),
        type: 'function',
        function: {
          name: nonEmptyString(item.name) ?? '',
          arguments: typeof item.arguments === 'string' ? item.arguments : '{}',
        },
      });
    }
  }
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const usage = chatUsageFromResponses(body.usage);
  return {
    id: nonEmptyString(body.id) ?? 'chatcmpl',
    object: 'chat.completion',
    created: typeof body.created_at === 'number' ? body.created_at : Math.floor(Date.now() / 1000),
    model: nonEmptyString(body.model) ?? model ?? 'unknown',
    choices: [{ index: 0, message, finish_reason: finishReasonOf(body, toolCalls.length > 0), logprobs: null }],
    ...(usage ? { usage } : {}),
    ...(nonEmptyString(body.service_tier) ? { service_tier: body.service_tier } : {}),
  };
}
