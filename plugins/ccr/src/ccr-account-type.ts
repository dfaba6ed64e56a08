/**
 * The `ccr` account type: an Anthropic-compatible upstream that routes by model, such as
 * a Claude Code Router instance, reached at `baseUrl` with its API key. It serves the
 * Anthropic Messages protocol, and only for models named `ccr,<route>`: the type claims
 * the `ccr,` model prefix, so a CCR account is never chosen for another model and no
 * other account for a `ccr,` model (the core answers "model not found" when no CCR
 * account can take it). The prefix is removed before the request goes upstream.
 */
import {
  defineAccountType,
  secret,
  splitBaseUrl,
  z,
  type AccountCredentials,
  type AccountView,
  type ModelCatalog,
} from '@switchyard/plugin-api';
import { CCR_MODEL_PREFIX, upstreamModel } from './ccr-model.js';
import { ANTHROPIC_VERSION, authorizeWithApiKey, sendToCcr } from './send-to-ccr.js';
import { ccrCrsImport } from './ccr-crs-imports.js';

/** The account type id. */
export const CCR = 'ccr';

/** The protocol CCR accounts serve, defined by the Claude plugin (referred to by id). */
export const ANTHROPIC_MESSAGES = 'anthropic-messages';

/** Every `ccr,` model unless `settings.models` narrows it; the prefix is the type's alone. */
export const CCR_MODEL_CATALOG: ModelCatalog = { defaults: [`${CCR_MODEL_PREFIX}*`], prefix: CCR_MODEL_PREFIX };

/** The model the probe counts tokens for when the account lists no exact model. */
export const PROBE_MODEL = 'claude-sonnet-4-5';

/** The credential schema of a CCR account. */
export const ccrCredentialsSchema = z.object({
  baseUrl: z
    .string()
    .url()
    .describe('The router: origin plus optional path prefix, without /v1 (e.g. http://127.0.0.1:3456 for Claude Code Router).')
    .meta({ title: 'Base URL' }),
  apiKey: secret(z.string().min(1))
    .describe("The router's API key (Claude Code Router: its APIKEY), sent as Bearer (an sk-ant- key as x-api-key).")
    .meta({ title: 'API key' }),
});

/** The decrypted credentials of a CCR account. */
export type CcrCredentials = AccountCredentials<typeof ccrCredentialsSchema>;

/** The settings schema of a CCR account. */
export const ccrSettingsSchema = z.object({
  models: z
    .array(z.string().min(1))
    .optional()
    .describe(
      'Model ids or * patterns this account serves, each starting with ccr, (e.g. "ccr,openrouter,*"); absent: every ccr, model.',
    )
    .meta({ title: 'Models' }),
});

/** The model the probe names: the account's first exact model (without the prefix), else {@link PROBE_MODEL}. */
export function probeModel(account: AccountView): string {
  const models = Array.isArray(account.settings.models) ? account.settings.models : [];
  const exact = models.find((model): model is string => typeof model === 'string' && !model.includes('*'));
  return exact ? upstreamModel(exact) : PROBE_MODEL;
}

/** The `ccr` account type. */
export const ccrAccountType = defineAccountType({
  id: CCR,
  imports: [ccrCrsImport],
  label: 'CCR (Claude Code Router)',
  description:
    'An Anthropic-compatible router (Claude Code Router, or any gateway that routes by model). ' +
    'Used only for models named ccr,<provider>,<model>; the ccr, prefix is removed upstream.',
  credentials: ccrCredentialsSchema,
  settings: ccrSettingsSchema,
  serves: [ANTHROPIC_MESSAGES],
  models: CCR_MODEL_CATALOG,
  adapter: { send: (call) => sendToCcr(call) },
  /**
   * Counts the tokens of a one-word prompt (`POST /v1/messages/count_tokens`): free, and
   * the router checks the key (Claude Code Router answers it locally, without calling a
   * provider).
   */
  async probe({ account, credentials, http, signal }) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
    authorizeWithApiKey(headers, credentials.apiKey);
    const root = splitBaseUrl(credentials.baseUrl).root;
    const body = JSON.stringify({ model: probeModel(account), messages: [{ role: 'user', content: 'ping' }] });
    try {
      const response = await http.request(`${root}/v1/messages/count_tokens`, { method: 'POST', headers, body, signal });
      await response.text();
      if (response.status >= 200 && response.status < 300) return { ok: true, message: 'the router accepted the key' };
      if (response.status === 401 || response.status === 403)
        return { ok: false, message: `the router refused the key (${response.status})` };
      return { ok: false, message: `the router answered ${response.status} on /v1/messages/count_tokens` };
    } catch {
      return { ok: false, message: `${new URL(root).origin} is unreachable` };
    }
  },
});
