/**
 * The `anthropic-messages -> gemini` translator: Anthropic clients (Claude Code, the
 * Anthropic SDKs) served by Gemini API accounts. It names the upstream action as the
 * operation (`generateContent` or `streamGenerateContent`); the Gemini adapter builds
 * the URL from it and the model. The Anthropic Messages protocol is defined by the
 * Claude plugin; without it loaded, the core leaves this translator out with a warning.
 */
import { isRecord, tokenCount } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { GEMINI, STREAM_ACTION } from '../gemini-protocol.js';
import { geminiToMessagesResponse, googleToMessagesError } from './gemini-to-messages-answer.js';
import { createGeminiToMessagesStream } from './gemini-to-messages-stream.js';
import { messagesToGeminiRequest } from './messages-to-gemini-request.js';

/** The Anthropic Messages protocol id (defined by the Claude plugin). */
export const ANTHROPIC_MESSAGES = 'anthropic-messages';

/** The Claude plugin's token counting route (`/v1/messages/count_tokens`). */
const COUNT_TOKENS = 'count_tokens';

/** Converts Anthropic Messages to Gemini generateContent and back, streaming included. */
export const messagesToGeminiTranslator: TranslatorDefinition = {
  from: ANTHROPIC_MESSAGES,
  to: GEMINI,
  lossy: [
    'thinking and redacted_thinking blocks, `thinking`, `output_config` (effort) and `context_management` are dropped; Gemini thought parts are not shown',
    'Gemini thought signatures are not kept: function calls in the history carry the placeholder Google documents for calls from other models',
    'cache_control is dropped (Gemini caches implicitly); cached prompt tokens are reported as cache reads, cache writes as 0',
    'tool_use ids are not sent to Gemini; ids in answers are generated (toolu_...) unless Gemini gives one',
    'images by URL are sent as fileData with a media type guessed from the extension; images in tool results follow the function responses',
    'metadata, service_tier, document blocks and server tools (web search, code execution, ...) are dropped',
    'which stop sequence matched is not known: stop_sequence is always null; only the first candidate is read',
    'count_tokens is answered by Gemini countTokens: input_tokens is its totalTokens',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    if (context.operation === COUNT_TOKENS) {
      const generateContentRequest: Record<string, unknown> = {
        model: `models/${context.model ?? ''}`,
        ...messagesToGeminiRequest(body),
      };
      delete generateContentRequest.generationConfig;
      return { body: { generateContentRequest }, operation: 'countTokens', stream: false };
    }
    return {
      body: messagesToGeminiRequest(body),
      operation: context.stream ? STREAM_ACTION : 'generateContent',
      stream: context.stream,
    };
  },
  response: (body, context) =>
    context.operation === COUNT_TOKENS
      ? { input_tokens: isRecord(body) ? tokenCount(body.totalTokens) : 0 }
      : geminiToMessagesResponse(body, context.model),
  error: (body, status) => googleToMessagesError(body, status),
  createStream: (context) => createGeminiToMessagesStream(context.model),
};
