/**
 * Gemini answers -> Anthropic Messages answers: a `GenerateContentResponse` into a
 * `message`, finish reasons into stop reasons, `usageMetadata` into Anthropic usage
 * (cached prompt tokens as cache reads, thoughts as output), Google errors.
 */
import { isRecord, nonEmptyString, tokenCount } from '@switchyard/plugin-api';
import { messagesErrorType, messagesId, type MessagesUsage } from './messages-stream-writer.js';

/** What one response (or stream chunk) of the first candidate holds. */
export interface CandidateContent {
  /** Text parts in order (thought parts excluded). */
  texts: string[];
  calls: { id: string; name: string; args: Record<string, unknown> }[];
  finishReason?: string;
}

/** The text and function calls of the first candidate; calls without an id get a `toolu_` id. */
export function candidateContent(response: Record<string, unknown>): CandidateContent {
  const candidate = Array.isArray(response.candidates) && isRecord(response.candidates[0]) ? response.candidates[0] : {};
  const parts = isRecord(candidate.content) && Array.isArray(candidate.content.parts) ? candidate.content.parts : [];
  const out: CandidateContent = { texts: [], calls: [] };
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (typeof part.text === 'string' && part.thought !== true && part.text !== '') out.texts.push(part.text);
    if (isRecord(part.functionCall)) {
      out.calls.push({
        id: nonEmptyString(part.functionCall.id) ?? messagesId('toolu'),
        name: nonEmptyString(part.functionCall.name) ?? '',
        args: isRecord(part.functionCall.args) ? part.functionCall.args : {},
      });
    }
  }
  const finishReason = nonEmptyString(candidate.finishReason);
  if (finishReason) out.finishReason = finishReason;
  return out;
}

/** The Anthropic `stop_reason` for a Gemini `finishReason`. */
export function stopReasonFromGemini(reason: string | undefined, hasToolCalls: boolean): string {
  if (hasToolCalls) return 'tool_use';
  if (reason === 'MAX_TOKENS') return 'max_tokens';
  if (reason && ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY'].includes(reason))
    return 'refusal';
  return 'end_turn';
}

/** Anthropic usage from `usageMetadata`: cached prompt tokens become cache reads, thoughts count as output. */
export function messagesUsageFromGemini(metadata: unknown): MessagesUsage | undefined {
  if (!isRecord(metadata)) return undefined;
  const cached = tokenCount(metadata.cachedContentTokenCount);
  const prompt = tokenCount(metadata.promptTokenCount) + tokenCount(metadata.toolUsePromptTokenCount);
  return {
    input_tokens: Math.max(0, prompt - cached),
    output_tokens: tokenCount(metadata.candidatesTokenCount) + tokenCount(metadata.thoughtsTokenCount),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/** Converts a unary `GenerateContentResponse` into an Anthropic `message`. */
export function geminiToMessagesResponse(body: unknown, model: string | undefined): unknown {
  if (!isRecord(body)) return body;
  const { texts, calls, finishReason } = candidateContent(body);
  const content: Record<string, unknown>[] = [];
  if (texts.length > 0) content.push({ type: 'text', text: texts.join('') });
  for (const call of calls) content.push({ type: 'tool_use', id: call.id, name: call.name, input: call.args });
  return {
    id: messagesId('msg'),
    type: 'message',
    role: 'assistant',
    model: nonEmptyString(body.modelVersion) ?? model ?? 'unknown',
    content,
    stop_reason: stopReasonFromGemini(finishReason, calls.length > 0),
    stop_sequence: null,
    usage: messagesUsageFromGemini(body.usageMetadata) ?? { input_tokens: 0, output_tokens: 0 },
  };
}

/** Google error JSON (`{ error: { code, message, status } }`) -> Anthropic error JSON, typed by the status. */
export function googleToMessagesError(body: unknown, status: number): unknown {
  // A streamGenerateContent call without `alt=sse` answers errors as a one-element array.
  const first: unknown = Array.isArray(body) ? body[0] : body;
  const error = isRecord(first) && isRecord(first.error) ? first.error : undefined;
  return {
    type: 'error',
    error: { type: messagesErrorType(status), message: nonEmptyString(error?.message) ?? `upstream answered ${status}` },
  };
}
