/**
 * The OpenAI plugin's default model allow-list (matching lives in the plugin API).
 */

/** Model patterns OpenAI accounts serve when their settings name none. */
export const DEFAULT_OPENAI_MODEL_PATTERNS: readonly string[] = ['gpt-*', 'o1*', 'o3*', 'o4*', 'chatgpt-*', 'codex-*', 'computer-use-*'];
