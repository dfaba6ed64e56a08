/**
 * The `openai-chat -> gemini` translator: chat clients served by Gemini API accounts.
 * It names the upstream action as the operation (`generateContent` or
 * `streamGenerateContent`); the Gemini adapter builds the URL from it and the model.
 */
import { isRecord } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { OPENAI_CHAT } from '../openai-chat-protocol.js';
import { GEMINI } from '../openai-routes.js';
import { wantsStreamUsage } from './chat-content.js';
import { chatToGeminiRequest } from './chat-to-gemini-request.js';
import { geminiToChatResponse, googleToOpenAiError } from './gemini-to-chat.js';
import { createGeminiToChatStream } from './gemini-to-chat-stream.js';

/** Converts OpenAI chat to Gemini generateContent and back, streaming included. */
export const chatToGeminiTranslator: TranslatorDefinition = {
  from: OPENAI_CHAT,
  to: GEMINI,
  lossy: [
    'tool call ids are not sent to Gemini; ids in answers are generated (call_0, call_1, ...) unless Gemini gives one',
    'images by URL are sent as fileData with a media type guessed from the extension',
    'reasoning_effort is approximated by a thinking budget (minimal 0, low 1024, medium 8192, high 24576)',
    'thought parts are not shown to the chat client; logprobs, logit_bias and user are dropped',
    'only the first candidate is returned when n > 1',
    'system messages are joined into systemInstruction (their position is lost)',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    return {
      body: chatToGeminiRequest(body),
      operation: context.stream ? 'streamGenerateContent' : 'generateContent',
      stream: context.stream,
    };
  },
  response: (body, context) => geminiToChatResponse(body, context.model),
  error: (body) => googleToOpenAiError(body),
  createStream: (context) => createGeminiToChatStream(context.model, wantsStreamUsage(context.clientBody)),
};
