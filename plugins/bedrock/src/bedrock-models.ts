/**
 * Which Bedrock model id a request calls: the account's `modelMapping` when it names the
 * requested model (sent as written: a model id, an inference profile id or an ARN), else
 * the built-in table of Anthropic ids to Bedrock ids, prefixed with the account's
 * inference profile (`us.`, `eu.`, `apac.`, `global.`). The catalog is what the table and
 * the mapping cover.
 */
import { isRecord, type AccountView, type ModelCatalog } from '@switchyard/plugin-api';
import { INFERENCE_PROFILES } from './bedrock-credentials.js';

/**
 * Anthropic model ids (dated ids and the aliases Claude Code and the SDKs send) and the
 * Bedrock foundation model ids AWS lists for them. Models not listed here (newer ones,
 * or ids AWS names differently) are reached through the account's `modelMapping`.
 */
export const BEDROCK_MODEL_IDS: Readonly<Record<string, string>> = {
  // Opus 4.7 and 4.8 have no ARN-versioned id: AWS's model cards name them anthropic.claude-opus-4-7 and
  // anthropic.claude-opus-4-8, offered through inference profiles only (us., eu., jp., au., global.), and
  // Anthropic's Bedrock page says Opus 4.7 is reachable through InvokeModel on bedrock-runtime
  // (https://docs.aws.amazon.com/bedrock/latest/userguide/model-card-anthropic-claude-opus-4-7.html,
  // .../model-card-anthropic-claude-opus-4-8.html,
  // https://platform.claude.com/docs/en/build-with-claude/claude-on-amazon-bedrock; checked 2026-12-07).
  'claude-opus-4-8': 'anthropic.claude-opus-4-8',
  'claude-opus-4-7': 'anthropic.claude-opus-4-7',
  // The 4.6 models have no date or version suffix in Anthropic's ids, and AWS lists them so too: Anthropic's
  // Bedrock page lists anthropic.claude-opus-4-6-v1 and anthropic.claude-sonnet-4-6 (checked 2026-12-07; a
  // `-v1:0` suffix on Opus 4.6 is refused as an invalid model identifier).
  'claude-opus-4-6': 'anthropic.claude-opus-4-6-v1',
  'claude-sonnet-4-6': 'anthropic.claude-sonnet-4-6',
  'claude-opus-4-5-20251101': 'anthropic.claude-opus-4-5-20251101-v1:0',
  'claude-opus-4-5': 'anthropic.claude-opus-4-5-20251101-v1:0',
  'claude-opus-4-1-20250805': 'anthropic.claude-opus-4-1-20250805-v1:0',
  'claude-opus-4-1': 'anthropic.claude-opus-4-1-20250805-v1:0',
  'claude-opus-4-20250514': 'anthropic.claude-opus-4-20250514-v1:0',
  'claude-opus-4-0': 'anthropic.claude-opus-4-20250514-v1:0',
  'claude-sonnet-4-5-20250929': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-sonnet-4-5': 'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'claude-sonnet-4-20250514': 'anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-sonnet-4-0': 'anthropic.claude-sonnet-4-20250514-v1:0',
  'claude-haiku-4-5-20251001': 'anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-haiku-4-5': 'anthropic.claude-haiku-4-5-20251001-v1:0',
  'claude-3-7-sonnet-20250219': 'anthropic.claude-3-7-sonnet-20250219-v1:0',
  'claude-3-5-sonnet-20241022': 'anthropic.claude-3-5-sonnet-20241022-v2:0',
  'claude-3-5-sonnet-20240620': 'anthropic.claude-3-5-sonnet-20240620-v1:0',
  'claude-3-5-haiku-20241022': 'anthropic.claude-3-5-haiku-20241022-v1:0',
  'claude-3-opus-20240229': 'anthropic.claude-3-opus-20240229-v1:0',
  'claude-3-haiku-20240307': 'anthropic.claude-3-haiku-20240307-v1:0',
};

/** The models bedrock accounts serve unless `settings.models` says otherwise: the table's ids. */
export const BEDROCK_MODEL_CATALOG: ModelCatalog = { defaults: Object.keys(BEDROCK_MODEL_IDS) };

/** The account's `modelMapping` entry for `model` (an own string value), looked up without copying the mapping. */
function mappedId(account: AccountView, model: string): string | undefined {
  const mapping = account.settings.modelMapping;
  if (!isRecord(mapping) || !Object.hasOwn(mapping, model)) return undefined;
  const value = mapping[model];
  return typeof value === 'string' ? value : undefined;
}

function profileOf(account: AccountView): string {
  const value = account.settings.inferenceProfile;
  return typeof value === 'string' && value !== 'none' && (INFERENCE_PROFILES as readonly string[]).includes(value)
    ? `${value}.`
    : '';
}

/** The Bedrock model id (or profile id / ARN) to call for `model`, or undefined when neither mapping nor table knows it. */
export function bedrockModelId(model: string | undefined, account: AccountView): string | undefined {
  if (model === undefined) return undefined;
  const mapped = mappedId(account, model);
  if (mapped !== undefined) return mapped;
  const known = Object.hasOwn(BEDROCK_MODEL_IDS, model) ? BEDROCK_MODEL_IDS[model] : undefined;
  return known === undefined ? undefined : `${profileOf(account)}${known}`;
}
