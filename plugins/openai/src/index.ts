/**
 * `@switchyard/plugin-openai`: the OpenAI Chat Completions and Responses protocols,
 * OpenAI-compatible API-key accounts, OpenAI prices, and the translators that let
 * OpenAI chat clients reach accounts speaking other protocols.
 */
import { PLUGIN_API_VERSION, definePlugin } from '@switchyard/plugin-api';
import { forcedTargetFilter } from './forced-targets.js';
import { openAiApiAccountType } from './openai-api-account-type.js';
import { createOpenAiCodexAccountType } from './openai-codex-account-type.js';
import { openAiOptionsSchema } from './openai-options.js';
import { openAiChatProtocol } from './openai-chat-protocol.js';
import { openAiPricing } from './openai-pricing.js';
import { openAiResponsesProtocol } from './openai-responses-protocol.js';
import { openAiRoutes } from './openai-routes.js';
import { priorityTierEnricher } from './priority-pricing.js';
import { openAiTranslators } from './translators/index.js';
import { codexCliClientDetector } from './codex-cli-client-detector.js';

export { OPENAI_CHAT } from './openai-chat-protocol.js';
export { OPENAI_RESPONSES } from './openai-responses-protocol.js';
export type { OpenAiOptions } from './openai-options.js';

/**
 * The OpenAI plugin (the package's default export). It holds no state: the core calls
 * `create` once per gateway with the validated options, for the Codex account type that
 * calls the configured OAuth and Codex endpoints.
 */
export const openaiPlugin = definePlugin({
  id: 'openai',
  apiVersion: PLUGIN_API_VERSION,
  description:
    'OpenAI Chat Completions and Responses; OpenAI-compatible API keys and ChatGPT (Codex) accounts; translators from OpenAI chat.',
  options: openAiOptionsSchema,
  protocols: [openAiChatProtocol, openAiResponsesProtocol],
  translators: openAiTranslators,
  routes: openAiRoutes,
  pricing: openAiPricing,
  setup(env) {
    env.scheduler.addFilter(forcedTargetFilter);
    env.usage.addEnricher(priorityTierEnricher);
    env.keys.addClientDetector(codexCliClientDetector);
  },
  create: ({ options }) => ({ accountTypes: [openAiApiAccountType, createOpenAiCodexAccountType(options)] }),
});
export default openaiPlugin;
