/**
 * The protocols Droid accounts serve, defined by other plugins and named here by id
 * only (plugins never import each other): the Claude plugin's Anthropic Messages and the
 * OpenAI plugin's Responses and chat completions.
 */

/** Anthropic Messages (`@switchyard/plugin-claude`). */
export const ANTHROPIC_MESSAGES = 'anthropic-messages';

/** OpenAI Responses (`@switchyard/plugin-openai`). */
export const OPENAI_RESPONSES = 'openai-responses';

/** OpenAI chat completions (`@switchyard/plugin-openai`). */
export const OPENAI_CHAT = 'openai-chat';
