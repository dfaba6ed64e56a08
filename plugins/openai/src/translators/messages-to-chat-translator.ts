/**
 * The `anthropic-messages -> openai-chat` translator: Anthropic clients (Claude Code, the
 * Anthropic SDKs) served by accounts speaking OpenAI chat completions (OpenAI API keys,
 * OpenAI-compatible servers, Azure OpenAI deployments, ...). The Anthropic Messages
 * protocol is defined by the Claude plugin; without it loaded, the core leaves this
 * translator out with a warning.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { CHAT_OPERATION } from '../forced-targets.js';
import { OPENAI_CHAT } from '../openai-chat-protocol.js';
import { ANTHROPIC_MESSAGES } from '../openai-routes.js';
import { chatToMessagesResponse, openAiToMessagesError } from './chat-to-messages-answer.js';
import { createChatToMessagesStream } from './chat-to-messages-stream.js';
import { messagesToChatRequest } from './messages-to-chat-request.js';

/** Converts Anthropic Messages to OpenAI chat and back, streaming included. */
export const messagesToChatTranslator: TranslatorDefinition = {
  from: ANTHROPIC_MESSAGES,
  to: OPENAI_CHAT,
  lossy: [
    'thinking and redacted_thinking blocks, `thinking`, `output_config` (effort) and `context_management` are dropped; reasoning the upstream model does is not shown',
    'cache_control is dropped (OpenAI caches prompts by itself); cached prompt tokens are reported as cache reads, cache writes as 0',
    'top_k, metadata, service_tier and server tools (web search, code execution, ...) are dropped; document blocks are dropped',
    'max_tokens is sent as max_completion_tokens',
    'is_error of tool results is not carried; images in tool results are sent in the user message that follows the tool messages',
    'which stop sequence matched is not known: stop_sequence is always null (stop_reason end_turn)',
    'message ids are generated; tool_use ids are the upstream tool call ids',
    'count_tokens is refused (400): chat completions has no token counting endpoint',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    if (context.operation === 'count_tokens') throw new Error('token counting is not available on accounts speaking OpenAI chat');
    const model = context.model ?? nonEmptyString(body.model);
    return { body: messagesToChatRequest(body, model, context.stream), operation: CHAT_OPERATION, stream: context.stream };
  },
  response: (body, context) => chatToMessagesResponse(body, context.model),
  error: (body, status) => openAiToMessagesError(body, status),
  createStream: (context) => createChatToMessagesStream(context.model),
};
