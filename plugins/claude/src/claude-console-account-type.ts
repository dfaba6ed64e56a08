/**
 * The `claude-console` account type: an API key for the Anthropic API (a Claude Console
 * key) or for any Anthropic-compatible endpoint (`baseUrl`). `sk-ant-` keys go in
 * `x-api-key` the way Anthropic expects; other keys (compatible gateways) as
 * `Authorization: Bearer`.
 */
import {
  defineAccountType,
  secret,
  splitBaseUrl,
  z,
  type AccountCredentials,
  type AccountTypeDefinition,
} from '@switchyard/plugin-api';
import { ANTHROPIC_MESSAGES } from './anthropic-messages-protocol.js';
import type { ClaudeOptions } from './claude-options.js';
import { classifyClaudeError } from './classify-claude-error.js';
import { bodyWithMappedModel, CLAUDE_MODEL_CATALOG, modelSettingsShape } from './claude-model-settings.js';
import { dailyQuotaSettingsShape } from './daily-quota.js';
import { ANTHROPIC_VERSION, sendToAnthropic } from './send-to-anthropic.js';
import { claudeConsoleCrsImport } from './claude-crs-imports.js';

/** The credential schema of a claude-console account. */
export const claudeConsoleCredentialsSchema = z.object({
  apiKey: secret(z.string().min(8)).describe('The API key (sk-ant-… for Anthropic).').meta({ title: 'API key' }),
  baseUrl: z
    .string()
    .url()
    .optional()
    .describe(
      'API origin plus optional path prefix, without /v1 (a trailing /v1 is tolerated); default https://api.anthropic.com.',
    )
    .meta({ title: 'Base URL' }),
});

/** The decrypted credentials of a claude-console account. */
export type ClaudeConsoleCredentials = AccountCredentials<typeof claudeConsoleCredentialsSchema>;

/** Sets the key in the slot its kind expects, removing any other credential header. */
export function authorizeWithApiKey(headers: Record<string, string>, apiKey: string): void {
  delete headers['x-api-key'];
  delete headers.authorization;
  if (apiKey.startsWith('sk-ant-')) headers['x-api-key'] = apiKey;
  else headers.authorization = `Bearer ${apiKey}`;
}

/** Builds the claude-console account type for the plugin's validated `options`. */
export function createClaudeConsoleAccountType(
  options: ClaudeOptions,
): AccountTypeDefinition<typeof claudeConsoleCredentialsSchema> {
  return defineAccountType({
    id: 'claude-console',
    label: 'Claude Console / Anthropic-compatible API key',
    description:
      'An Anthropic API key (sk-ant-…, sent as x-api-key) or the key of an Anthropic-compatible endpoint (sent as Bearer). ' +
      'Set baseUrl for a compatible endpoint; the default is the Anthropic API.',
    credentials: claudeConsoleCredentialsSchema,
    settings: z.object({ ...modelSettingsShape, ...dailyQuotaSettingsShape }),
    serves: [ANTHROPIC_MESSAGES],
    models: CLAUDE_MODEL_CATALOG,
    adapter: {
      send(call) {
        const body = bodyWithMappedModel(call.request, call.account);
        return sendToAnthropic(call, {
          baseUrl: call.credentials.baseUrl ?? options.apiUrl,
          authorize: (headers) => authorizeWithApiKey(headers, call.credentials.apiKey),
          ...(body === undefined ? {} : { body }),
        });
      },
    },
    classifyError: (response) => classifyClaudeError(response),
    imports: [claudeConsoleCrsImport],
    async probe({ credentials, http, signal }) {
      const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
      authorizeWithApiKey(headers, credentials.apiKey);
      const baseUrl = splitBaseUrl(credentials.baseUrl ?? options.apiUrl).root;
      try {
        const response = await http.request(`${baseUrl}/v1/models`, { method: 'GET', headers, signal });
        await response.text();
        if (response.status >= 200 && response.status < 300) return { ok: true, message: 'the API key works' };
        return { ok: false, message: `the endpoint answered ${response.status} on /v1/models` };
      } catch {
        return { ok: false, message: `${new URL(baseUrl).origin} is unreachable` };
      }
    },
  });
}
