/**
 * The `openai-codex` account type: a ChatGPT subscription signed in for Codex. It calls
 * the Codex backend's Responses endpoint with the account's token and ChatGPT account
 * id, keeps the usage-window headers on the account (plugin kv), treats a used-up window
 * as `quota_exhausted` until its reset, and refreshes tokens ahead of expiry.
 */
import { randomBytes } from 'node:crypto';
import {
  secret,
  z,
  defineAccountType,
  type AccountCredentials,
  type AccountTypeDefinition,
  callUpstream,
  joinUrl,
  configuredModels,
  isRecord,
  extractAuthorizationCode,
} from '@switchyard/plugin-api';
import { classifyCodexError, codexUsageKey, keepCodexUsage, type CodexUsageSnapshot } from './codex-usage-window.js';
import { accountClaims, codexAuthorizationUrl, createPkce, exchangeCode, refreshTokens } from './openai-oauth.js';
import type { OpenAiOptions } from './openai-options.js';
import { OPENAI_RESPONSES } from './openai-responses-protocol.js';
import { timestamp, timestampMs } from '@switchyard/plugin-api';
import { CODEX_MODEL_CATALOG } from './model-patterns.js';
import { openAiCodexCrsImport } from './openai-crs-imports.js';

/** The credential schema of an `openai-codex` account. */
export const openAiCodexCredentialsSchema = z.object({
  accessToken: secret(z.string().min(1)).meta({ title: 'Access token' }),
  refreshToken: secret(z.string().min(1)).meta({ title: 'Refresh token' }),
  expiresAt: timestamp()
    .describe('When the access token expires: ISO 8601 (epoch milliseconds accepted, stored as ISO 8601)')
    .meta({ title: 'Access token expires at' }),
  accountId: z.string().min(1).describe('ChatGPT account id').meta({ title: 'ChatGPT account ID' }),
});

/**
 * Decrypted credentials of an `openai-codex` account. `baseUrl` replaces the plugin's
 * `codex.endpoint`: origin plus path prefix (the Codex backend has no API version;
 * `/responses` is added).
 */
export type OpenAiCodexCredentials = AccountCredentials<typeof openAiCodexCredentialsSchema>;

/** Models a Codex account offers when its settings name none. */
export const DEFAULT_CODEX_MODELS: readonly string[] = ['gpt-5.1-codex', 'gpt-5.1-codex-mini', 'gpt-5.1', 'gpt-5-codex', 'gpt-5'];

/** Creates the account type for the plugin's validated `options` (endpoints, OAuth client). */
export function createOpenAiCodexAccountType(options: OpenAiOptions): AccountTypeDefinition<typeof openAiCodexCredentialsSchema> {
  const codex = options.codex;
  return defineAccountType({
    id: 'openai-codex',
    imports: [openAiCodexCrsImport],
    label: 'ChatGPT subscription (Codex)',
    description:
      'A ChatGPT account signed in for Codex; serves the Responses API (and chat through the translator). Needs the plugin option codex.clientId for login and refresh.',
    credentials: openAiCodexCredentialsSchema,
    settings: z.object({
      models: z
        .array(z.string().min(1))
        .optional()
        .describe("Models this account serves; `*` matches any run of characters. Absent: the plugin's default list.")
        .meta({ title: 'Models' }),
    }),
    serves: [OPENAI_RESPONSES],
    models: CODEX_MODEL_CATALOG,
    listModels: (account) => (configuredModels(account) ?? DEFAULT_CODEX_MODELS).filter((model) => !model.includes('*')),
    defaultMaxConcurrency: 4,
    adapter: {
      async send({ request, credentials, http, signal, kv, account }) {
        const url = joinUrl(credentials.baseUrl ?? codex.endpoint, '/responses');
        const headers: Record<string, string> = Object.assign({}, request.headers, {
          authorization: `Bearer ${credentials.accessToken}`,
          'chatgpt-account-id': credentials.accountId,
          'accept-encoding': 'identity',
        });
        headers['content-type'] ??= 'application/json';
        // The Codex backend keeps nothing: translated requests say so (Codex CLI already does).
        const body = request.translated
          ? JSON.stringify(isRecord(request.body) ? { store: false, ...request.body } : request.body)
          : request.rawBody;
        const response = await callUpstream(http, url, { method: 'POST', headers, body, signal }, 'codex');
        await keepCodexUsage(kv, account.id, response.headers);
        return response;
      },
    },
    refresh: {
      // Unreadable expiries count as expired, so the token is refreshed rather than trusted.
      isDue: (credentials, now) => (timestampMs(credentials.expiresAt) ?? 0) - now.getTime() < codex.refreshAheadMs,
      async refresh({ credentials, http, signal }) {
        const tokens = await refreshTokens(http, codex, credentials.refreshToken, signal);
        const claims = accountClaims(tokens.idToken);
        return {
          accessToken: tokens.accessToken,
          expiresAt: tokens.expiresAt,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(claims.accountId ? { accountId: claims.accountId } : {}),
        };
      },
    },
    classifyError: classifyCodexError,
    async probe({ kv, account }) {
      const snapshot = await kv.get<CodexUsageSnapshot>(codexUsageKey(account.id));
      return snapshot
        ? { ok: true, message: 'usage windows as of the last request', details: { ...snapshot } }
        : { ok: true, message: 'no request seen yet; usage windows appear after the first one' };
    },
    authFlows: [
      {
        id: 'pkce',
        label: 'Sign in with ChatGPT',
        async start() {
          if (!codex.clientId) throw new Error('Set the openai plugin option codex.clientId first.');
          const { verifier, challenge } = createPkce();
          const state = randomBytes(16).toString('hex');
          return {
            state: { verifier, state },
            authorizationUrl: codexAuthorizationUrl(codex, codex.clientId, challenge, state),
            instructions:
              'Open the link and sign in. The browser then fails to load the redirect page: copy its whole URL and paste it here.',
            input: z.object({
              code: z.string().min(1).describe('The redirect URL (or just its code)').meta({ title: 'Redirect URL or code' }),
            }),
          };
        },
        async complete(context, state, input) {
          const tokens = await exchangeCode(
            context.http,
            codex,
            extractAuthorizationCode(input.code ?? ''),
            String(state.verifier),
            context.signal,
          );
          const claims = accountClaims(tokens.idToken);
          if (!tokens.refreshToken || !claims.accountId)
            throw new Error('The sign-in gave no refresh token or ChatGPT account id; try again.');
          return {
            status: 'done',
            credentials: {
              accessToken: tokens.accessToken,
              refreshToken: tokens.refreshToken,
              expiresAt: tokens.expiresAt,
              accountId: claims.accountId,
            },
            suggestedName: claims.email ? `codex ${claims.email}` : 'codex',
          };
        },
      },
    ],
  });
}
