/**
 * The `droid` account type: a Factory.ai (Droid) account, holding one or more API keys
 * or the tokens of a WorkOS sign-in, that serves Anthropic Messages (Claude models),
 * OpenAI Responses (GPT models) and chat completions (Factory's other models) on
 * Factory's three endpoints.
 *
 * With API keys, each conversation keeps one key (droid-key-pool.ts); a key upstream
 * rejects with 401 is marked and skipped, and the same request goes on with the next
 * key before anything reaches the client. Only when every key fails does the account
 * itself cool down (`auth_failed`). With a sign-in, the access token is refreshed ahead
 * of its expiry under the core's cross-instance lock.
 */
import {
  UpstreamError,
  defineAccountType,
  timestampMs,
  type AccountTypeDefinition,
  type UpstreamCall,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { droidCredentialsSchema, droidSettingsSchema, type DroidCredentials } from './droid-credentials.js';
import type { DroidKeyPool } from './droid-key-pool.js';
import type { DroidOptions } from './droid-options.js';
import { droidProbe } from './droid-probe.js';
import { deviceCodeFlow } from './device-code-flow.js';
import { ANTHROPIC_MESSAGES, OPENAI_CHAT, OPENAI_RESPONSES } from './protocol-ids.js';
import { sendToFactory } from './send-to-factory.js';
import { bodyAskingForUsage, withoutAddedUsage } from './chat-usage-request.js';
import { refreshWorkosTokens } from './workos-login.js';
import { droidCrsImport } from './droid-crs-imports.js';

/** The account type id. */
export const DROID = 'droid';

/**
 * The models a droid account serves by default: Claude on the anthropic endpoint, GPT
 * on the openai endpoint, GLM on comm. Other Factory models: list them in
 * `settings.models`.
 */
export const DROID_MODEL_DEFAULTS: readonly string[] = ['claude-*', 'gpt-*', 'glm-*'];

/** Drains an answer that will not be relayed, so its connection can be reused. */
async function discard(response: UpstreamResponse): Promise<void> {
  await response.text().catch(() => undefined);
}

/** Sends with the account's API keys, moving past keys that fail authentication. */
async function sendWithKeys(
  call: UpstreamCall<DroidCredentials>,
  pool: DroidKeyPool,
  baseUrl: string,
  body: string | undefined,
): Promise<UpstreamResponse> {
  const { kv, account, request, log } = call;
  const apiKeys = call.credentials.apiKeys ?? [];
  const plan = await pool.plan(kv, account.id, apiKeys, request.sessionKey);
  if (plan.length === 0)
    throw new UpstreamError('auth_failed', `droid account ${account.id} has no API key`, { pauseAccount: true });
  for (let index = 0; ; index++) {
    const key = plan[index]!;
    const response = await sendToFactory(call, baseUrl, key.value, body);
    if (response.status !== 401) {
      if (request.sessionKey) await pool.bind(kv, account.id, request.sessionKey, key);
      return response;
    }
    await pool.markFailed(kv, account.id, key, response.status);
    log.warn('droid API key failed authentication; skipping it', { account: account.id, key: key.fingerprint });
    // The last key's answer goes to the core, which cools the account down (auth_failed).
    if (index === plan.length - 1) return response;
    await discard(response);
  }
}

/** Creates the account type for the plugin's validated options and its key pool. */
export function createDroidAccountType(
  options: DroidOptions,
  pool: DroidKeyPool,
): AccountTypeDefinition<typeof droidCredentialsSchema> {
  const { oauth } = options;
  return defineAccountType({
    id: DROID,
    imports: [droidCrsImport],
    label: 'Factory.ai (Droid)',
    description:
      'A Factory.ai account: one or more API keys, or a WorkOS sign-in (device code; needs the plugin option oauth.clientId). ' +
      'Serves Claude models (Anthropic Messages), GPT models (OpenAI Responses) and other Factory models (chat completions).',
    credentials: droidCredentialsSchema,
    settings: droidSettingsSchema,
    serves: [ANTHROPIC_MESSAGES, OPENAI_RESPONSES, OPENAI_CHAT],
    models: { defaults: DROID_MODEL_DEFAULTS },
    defaultMaxConcurrency: 8,
    adapter: {
      async send(call) {
        const { credentials, account } = call;
        const baseUrl = credentials.baseUrl ?? options.apiUrl;
        const changed = bodyAskingForUsage(call.request);
        const body = changed && JSON.stringify(changed);
        let response: UpstreamResponse;
        if (credentials.apiKeys?.length) response = await sendWithKeys(call, pool, baseUrl, body);
        else if (credentials.accessToken) response = await sendToFactory(call, baseUrl, credentials.accessToken, body);
        else {
          throw new UpstreamError('auth_failed', `droid account ${account.id} has neither apiKeys nor an access token`, {
            pauseAccount: true,
          });
        }
        return changed ? withoutAddedUsage(response) : response;
      },
    },
    refresh: {
      // Only sign-ins expire; an unreadable expiry counts as expired, so the token is refreshed rather than trusted.
      isDue: (credentials, now) =>
        !credentials.apiKeys?.length &&
        credentials.refreshToken !== undefined &&
        (timestampMs(credentials.expiresAt) ?? 0) - now.getTime() < oauth.refreshAheadMs,
      async refresh({ credentials, http, signal }) {
        if (!credentials.refreshToken) throw new UpstreamError('auth_failed', 'droid account has no refresh token');
        const tokens = await refreshWorkosTokens(http, oauth, credentials.refreshToken, credentials.organizationId, signal);
        return {
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.organizationId ? { organizationId: tokens.organizationId } : {}),
        };
      },
    },
    probe: (context) => droidProbe(context, pool),
    authFlows: [deviceCodeFlow(oauth)],
  });
}
