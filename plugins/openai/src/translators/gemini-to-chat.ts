/**
 * Gemini answers -> OpenAI chat answers: a `GenerateContentResponse` into a
 * `chat.completion`; shared readers for the stream converter.
 */
import { isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { chatUsageObject, type ChatUsage } from './chat-stream-writer.js';

/** Text (thought parts excluded) and function calls of the first candidate. */
export function candidateParts(response: Record<string, unknown>): {
  text: string;
  calls: { name: string; args: unknown; id?: string }[];
  finishReason?: string;
} {
  const candidate = Array.isArray(response.candidates) && isRecord(response.candidates[0]) ? response.candidates[0] : {};
  const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
  let text = '';
  const calls: { name: string; args: unknown; id?: string }[] = [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true) text += part.text;
    if (isRecord(part.functionCall)) {
      const id = nonEmptyString(part.functionCall.id);
      calls.push({
        name: nonEmptyString(part.functionCall.name) ?? '',
        args: part.functionCall.args ?? {},
        ...(id ? { id } : {}),
      });
    }
  }
  const finishReason = nonEmptyString(candidate.finishReason);
  return { text, calls, ...(finishReason ? { finishReason } : {}) };
}

/** The chat finish reason for a Gemini `finishReason`. */
export function chatFinishReason(reason: string | undefined, hasToolCalls: boolean): string {
  if (hasToolCalls) return 'tool_calls';
  if (reason === 'MAX_TOKENS') return 'length';
  if (reason && ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'].includes(reason))
    return 'content_filter';
  return 'stop';
}

/** Chat usage from `usageMetadata` (thoughts counted as completion tokens). */
export function chatUsageFromGemini(metadata: unknown): ChatUsage | undefined {
  if (!isRecord(metadata)) return undefined;
  const thoughts = tokenCount(metadata.thoughtsTokenCount);
  return chatUsageObject(
    tokenCount(metadata.promptTokenCount) + tokenCount(metadata.toolUsePromptTokenCount),
    tokenCount(metadata.candidatesTokenCount) + thoughts,
    tokenCount(metadata.cachedContentTokenCount),
    thoughts,
  );
}

/** Converts a unary `GenerateContentResponse` into a `chat.completion`. */
export function geminiToChatResponse(body: unknown, model: string | undefined): unknown {
  if (!isRecord(body)) return body;
  const { text, calls, finishReason } = candidateParts(body);
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: text === '' && calls.length > 0 ? null : text,
    refusal: null,
  };
  if (calls.length > 0) {
    message.tool_calls = calls.map((call, index) => ({
      id: call.id ?? `call_${index}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    }));
  }
  const usage = chatUsageFromGemini(body.usageMetadata);
  return {
    id: `chatcmpl-${nonEmptyString(body.responseId) ?? Date.now().toString(36)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: nonEmptyString(body.modelVersion) ?? model ?? 'unknown',
    choices: [{ index: 0, message, finish_reason: chatFinishReason(finishReason, calls.length > 0), logprobs: null }],
    ...(usage ? { usage } : {}),
  };
}

/** Google error JSON -> OpenAI error JSON. */
export function googleToOpenAiError(body: unknown): unknown {
  if (!isRecord(body) || !isRecord(body.error)) return body;
  const status = nonEmptyString(body.error.status) ?? 'UNKNOWN';
  return {
    error: {
      message: nonEmptyString(body.error.message) ?? 'upstream error',
      type: status.toLowerCase(),
      param: null,
      code: status,
    },
  };
}
