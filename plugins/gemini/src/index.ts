/**
 * `@switchyard/plugin-gemini`: the Gemini API and Code Assist protocols, Gemini API-key
 * and Google OAuth (Code Assist) accounts, Gemini prices, and the translator that lets
 * Anthropic Messages clients (Claude Code) reach Gemini API accounts.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { geminiApiAccountType } from './gemini-api-account-type.js';
import { geminiCodeAssistProtocol } from './gemini-code-assist-protocol.js';
import { geminiOptionsSchema } from './gemini-options.js';
import { createGeminiOAuthAccountType } from './gemini-oauth-account-type.js';
import { geminiPricing } from './gemini-pricing.js';
import { geminiProtocol } from './gemini-protocol.js';
import { geminiRoutes } from './gemini-routes.js';
import { geminiToCodeAssistTranslator } from './gemini-to-code-assist-translator.js';
import { geminiCliClientDetector } from './gemini-cli-client-detector.js';
import { messagesToGeminiTranslator } from './translators/messages-to-gemini-translator.js';

export { GEMINI } from './gemini-protocol.js';
export { GEMINI_CODE_ASSIST } from './gemini-code-assist-protocol.js';
export type { GeminiOptions } from './gemini-options.js';
export { messagesToGeminiTranslator } from './translators/messages-to-gemini-translator.js';

/**
 * The Gemini plugin (the package's default export). It holds no state: the core calls
 * `create` once per gateway with the validated options, for the account type that
 * calls the configured OAuth and Code Assist endpoints.
 */
export const geminiPlugin = definePlugin({
  id: 'gemini',
  apiVersion: PLUGIN_API_VERSION,
  description: 'Gemini API (generateContent) and Code Assist (v1internal); Gemini API keys and Google accounts.',
  options: geminiOptionsSchema,
  protocols: [geminiProtocol, geminiCodeAssistProtocol],
  translators: [geminiToCodeAssistTranslator, messagesToGeminiTranslator],
  routes: geminiRoutes,
  pricing: geminiPricing,
  setup(env) {
    env.keys.addClientDetector(geminiCliClientDetector);
  },
  create: ({ options }) => ({ accountTypes: [geminiApiAccountType, createGeminiOAuthAccountType(options)] }),
});
export default geminiPlugin;
