/**
 * The OpenAI plugin's default model allow-list (matching lives in the plugin API).
 */

import type { ModelCatalog } from '@switchyard/plugin-api';

/** Model patterns OpenAI accounts serve when their settings name none. */
export const DEFAULT_OPENAI_MODEL_PATTERNS: readonly string[] = [
  'gpt-*',
  'o1*',
  'o3*',
  'o4*',
  'chatgpt-*',
  'codex-*',
  'computer-use-*',
];

/** The openai-api account type's model catalog. */
export const OPENAI_MODEL_CATALOG: ModelCatalog = { defaults: DEFAULT_OPENAI_MODEL_PATTERNS };

/** The openai-codex account type's model catalog (the ChatGPT backend serves the GPT-5 and Codex families). */
export const CODEX_MODEL_CATALOG: ModelCatalog = { defaults: ['gpt-5*', 'codex-*'] };
