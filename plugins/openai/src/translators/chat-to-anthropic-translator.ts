/**
 * The `openai-chat -> anthropic-messages` translator: chat clients served by accounts
 * speaking Anthropic Messages (defined by the Claude plugin; without it loaded, the core
 * leaves this translator out with a warning).
 */
import { isRecord } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { OPENAI_CHAT } from '../openai-chat-protocol.js';
import { ANTHROPIC_MESSAGES } from '../openai-routes.js';
import { wantsStreamUsage } from './chat-content.js';
import { anthropicToChatResponse, anthropicToOpenAiError } from './anthropic-to-chat.js';
import { createAnthropicToChatStream } from './anthropic-to-chat-stream.js';
import { chatToAnthropicRequest } from './chat-to-anthropic-request.js';

/** Converts OpenAI chat to Anthropic Messages and back, streaming included. */
export const chatToAnthropicTranslator: TranslatorDefinition = {
  from: OPENAI_CHAT,
  to: ANTHROPIC_MESSAGES,
  lossy: [
    'max_tokens defaults to 8192 when the client gives none (Anthropic requires it)',
    'temperature is capped at 1; n, logprobs, logit_bias, presence/frequency penalties, seed and response_format are dropped',
    'reasoning_effort becomes extended thinking with a budget (low 1024, medium 8192, high 24576); thinking blocks are not shown',
    'system messages are joined into `system` (their position is lost)',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    return { body: chatToAnthropicRequest(body, context.stream), operation: 'messages', stream: context.stream };
  },
  response: (body, context) => anthropicToChatResponse(body, context.model),
  error: (body) => anthropicToOpenAiError(body),
  createStream: (context) => createAnthropicToChatStream(context.model, wantsStreamUsage(context.clientBody)),
};
