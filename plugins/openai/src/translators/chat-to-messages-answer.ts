/**
 * OpenAI chat answers -> Anthropic Messages answers: a `chat.completion` into a
 * `message`, finish reasons into stop reasons, chat usage into Anthropic usage (prompt
 * tokens include cached ones; Anthropic's input count does not), errors.
 */
import { isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { messagesErrorType, messagesId, type MessagesUsage } from './messages-stream-writer.js';

/** The Anthropic `stop_reason` for a chat `finish_reason`. */
export function stopReasonFromFinish(reason: unknown): string {
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool_use';
  if (reason === 'length') return 'max_tokens';
  if (reason === 'content_filter') return 'refusal';
  return 'end_turn';
}

/** Anthropic usage from chat usage: cached prompt tokens become cache reads. */
export function messagesUsageFromChat(usage: unknown): MessagesUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const cached = isRecord(usage.prompt_tokens_details) ? tokenCount(usage.prompt_tokens_details.cached_tokens) : 0;
  const prompt = tokenCount(usage.prompt_tokens);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: tokenCount(usage.completion_tokens),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/** Parses tool call arguments (a JSON string) into an object; invalid JSON is kept as `{ "arguments": text }`. */
export function toolInput(text: unknown): Record<string, unknown> {
  if (typeof text !== 'string' || text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : { value: parsed };
  } catch {
    return { arguments: text };
  }
}

/** Converts a unary `chat.completion` into an Anthropic `message`. */
export function chatToMessagesResponse(body: unknown, model: string | undefined): unknown {
  if (!isRecord(body)) return body;
  const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {};
  const message = isRecord(choice.message) ? choice.message : {};
  const content: Record<string, unknown>[] = [];
  const text = typeof message.content === 'string' ? message.content : (nonEmptyString(message.refusal) ?? '');
  if (text !== '') content.push({ type: 'text', text });
  for (const call of Array.isArray(message.tool_calls) ? message.tool_calls : []) {
    if (!isRecord(call) || !isRecord(call.function)) continue;
    content.push({
      type: 'tool_use',
      id: nonEmptyString(call.id) ?? messagesId('toolu'),
      name: nonEmptyString(call.function.name) ?? '',
      input: toolInput(call.function.arguments),
    });
  }
  const hasTools = content.some((block) => block.type === 'tool_use');
  const stopReason = hasTools ? 'tool_use' : stopReasonFromFinish(choice.finish_reason);
  return {
    id: messagesId('msg'),
    type: 'message',
    role: 'assistant',
    model: nonEmptyString(body.model) ?? model ?? 'unknown',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: messagesUsageFromChat(body.usage) ?? { input_tokens: 0, output_tokens: 0 },
  };
}

/** OpenAI error JSON -> Anthropic error JSON, typed by the status. */
export function openAiToMessagesError(body: unknown, status: number): unknown {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const message =
    nonEmptyString(error?.message) ??
    (isRecord(body) ? nonEmptyString(body.message) : undefined) ??
    `upstream answered ${status}`;
  return { type: 'error', error: { type: messagesErrorType(status), message } };
}
