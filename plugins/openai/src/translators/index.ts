/**
 * The translators the OpenAI plugin provides: OpenAI chat clients served by accounts
 * speaking the Responses API, Gemini generateContent, Gemini Code Assist or Anthropic Messages;
 * and Anthropic Messages clients (Claude Code) served by accounts speaking OpenAI chat.
 */
import type { TranslatorDefinition } from '@switchyard/plugin-api';
import { chatToAnthropicTranslator } from './chat-to-anthropic-translator.js';
import { chatToCodeAssistTranslator } from './chat-to-code-assist-translator.js';
import { chatToGeminiTranslator } from './chat-to-gemini-translator.js';
import { chatToResponsesTranslator } from './chat-to-responses-translator.js';
import { messagesToChatTranslator } from './messages-to-chat-translator.js';

export {
  chatToAnthropicTranslator,
  chatToCodeAssistTranslator,
  chatToGeminiTranslator,
  chatToResponsesTranslator,
  messagesToChatTranslator,
};

/** Every translator of the plugin. Those whose target protocol is not loaded are left out by the core. */
export const openAiTranslators: readonly TranslatorDefinition[] = [
  chatToResponsesTranslator,
  chatToGeminiTranslator,
  chatToCodeAssistTranslator,
  chatToAnthropicTranslator,
  messagesToChatTranslator,
];
