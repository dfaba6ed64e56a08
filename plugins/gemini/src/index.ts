/**
 * `@switchyard/plugin-gemini`: the Gemini API and Code Assist protocols, Gemini API-key
 * and Google OAuth (Code Assist) accounts, and Gemini prices.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { geminiApiAccountType } from './gemini-api-account-type.js';
import { geminiCodeAssistProtocol } from './gemini-code-assist-protocol.js';
import { createGeminiRuntime, geminiOptionsSchema, type GeminiOptions } from './gemini-options.js';
import { createGeminiOAuthAccountType } from './gemini-oauth-account-type.js';
import { geminiPricing } from './gemini-pricing.js';
import { geminiProtocol } from './gemini-protocol.js';
import { geminiRoutes } from './gemini-routes.js';
import { geminiToCodeAssistTranslator } from './gemini-to-code-assist-translator.js';
import { geminiCliClientDetector } from './gemini-cli-client-detector.js';

export { GEMINI } from './gemini-protocol.js';
export { GEMINI_CODE_ASSIST } from './gemini-code-assist-protocol.js';
export type { GeminiOptions } from './gemini-options.js';

/**
 * Creates a Gemini plugin instance. Its account types read the options given at setup,
 * so each instance (one per gateway) has its own.
 */
export function createGeminiPlugin() {
  const runtime = createGeminiRuntime();
  return definePlugin<GeminiOptions>({
    id: 'gemini',
    apiVersion: PLUGIN_API_VERSION,
    description: 'Gemini API (generateContent) and Code Assist (v1internal); Gemini API keys and Google accounts.',
    options: geminiOptionsSchema,
    protocols: [geminiProtocol, geminiCodeAssistProtocol],
    translators: [geminiToCodeAssistTranslator],
    accountTypes: [geminiApiAccountType, createGeminiOAuthAccountType(runtime)],
    routes: geminiRoutes,
    pricing: geminiPricing,
    setup(env) {
      runtime.options = env.options;
      env.keys.addClientDetector(geminiCliClientDetector);
    },
  });
}

/** The Gemini plugin (the package's default export). */
export const geminiPlugin = createGeminiPlugin();
export default geminiPlugin;
