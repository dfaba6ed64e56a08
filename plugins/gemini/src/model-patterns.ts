/**
 * The Gemini plugin's default model allow-list (matching lives in the plugin API).
 */

/** Model patterns Gemini accounts serve when their settings name none. */
export const DEFAULT_GEMINI_MODEL_PATTERNS: readonly string[] = ['gemini-*', 'gemma-*'];
