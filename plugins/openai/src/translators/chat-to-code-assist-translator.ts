/**
 * The `openai-chat -> gemini-code-assist` translator: chat clients served by Google
 * accounts (Gemini Code Assist). It is the chat -> Gemini conversion wrapped in the Code
 * Assist envelope (`{ model, request }`; the serving account's adapter adds `project`),
 * and the answers unwrapped from `{ response }`.
 */
import { isRecord } from '@switchyard/plugin-api';
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { OPENAI_CHAT } from '../openai-chat-protocol.js';
import { GEMINI_CODE_ASSIST } from '../openai-routes.js';
import { chatToGeminiTranslator } from './chat-to-gemini-translator.js';

/** Converts OpenAI chat to Code Assist and back, streaming included. */
export const chatToCodeAssistTranslator: TranslatorDefinition = {
  from: OPENAI_CHAT,
  to: GEMINI_CODE_ASSIST,
  lossy: [...(chatToGeminiTranslator.lossy ?? [])],
  request(body, context) {
    const inner = chatToGeminiTranslator.request(body, context);
    return { ...inner, body: { model: context.model, request: inner.body } };
  },
  response: (body, context) =>
    chatToGeminiTranslator.response(isRecord(body) && isRecord(body.response) ? body.response : body, context),
  error: (body, status, context) => chatToGeminiTranslator.error!(body, status, context),
  // The Gemini stream converter reads `{ response }` envelopes as well.
  createStream: (context) => chatToGeminiTranslator.createStream(context),
};
