/**
 * The protocol ids the Azure plugin uses. `openai-chat` and `openai-responses` are
 * defined by the OpenAI plugin (referred to by id, never imported); `openai-embeddings`
 * is defined here (see embeddings-protocol.ts).
 */

/** OpenAI Chat Completions (defined by `@switchyard/plugin-openai`). */
export const OPENAI_CHAT = 'openai-chat';

/** OpenAI Responses (defined by `@switchyard/plugin-openai`). */
export const OPENAI_RESPONSES = 'openai-responses';

/** OpenAI embeddings (defined by this plugin). */
export const OPENAI_EMBEDDINGS = 'openai-embeddings';
