/**
 * The Gemini plugin's default model allow-list (matching lives in the plugin API).
 */

import type { ModelCatalog } from '@switchyard/plugin-api';

/** Model patterns Gemini accounts serve when their settings name none. */
export const DEFAULT_GEMINI_MODEL_PATTERNS: readonly string[] = ['gemini-*', 'gemma-*'];

/** The Gemini account types' model catalog. */
export const GEMINI_MODEL_CATALOG: ModelCatalog = { defaults: DEFAULT_GEMINI_MODEL_PATTERNS };
