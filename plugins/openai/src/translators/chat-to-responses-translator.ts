/**
 * The `openai-chat -> openai-responses` translator: chat clients served by accounts
 * that speak only the Responses API (e.g. the Codex backend).
 */
import { isRecord } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { OPENAI_CHAT } from '../openai-chat-protocol.js';
import { OPENAI_RESPONSES } from '../openai-responses-protocol.js';
import { wantsStreamUsage } from './chat-content.js';
import { chatToResponsesRequest } from './chat-to-responses-request.js';
import { responsesToChatResponse } from './responses-to-chat.js';
import { createResponsesToChatStream } from './responses-to-chat-stream.js';

/** Converts OpenAI chat to the Responses API and back, streaming included. */
export const chatToResponsesTranslator: TranslatorDefinition = {
  from: OPENAI_CHAT,
  to: OPENAI_RESPONSES,
  lossy: [
    'stop sequences (no Responses equivalent) are dropped',
    'n > 1 is not supported: one choice is returned',
    'logprobs, logit_bias, presence/frequency penalties and seed are dropped',
    'reasoning items and reasoning summaries are not shown to the chat client',
    'system and developer messages are joined into `instructions` (their position in the conversation is lost)',
    'non-function tools (web search, file search) in the answer are not shown',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    return { body: chatToResponsesRequest(body, context.stream), operation: 'responses', stream: context.stream };
  },
  response: (body, context) => responsesToChatResponse(body, context.model),
  error: (body) => body,
  createStream: (context) => createResponsesToChatStream(context.model, wantsStreamUsage(context.clientBody)),
};
