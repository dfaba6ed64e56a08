/**
 * The `gemini-oauth` account type: a Google account signed in for Code Assist (what
 * Gemini CLI's "login with Google" uses). Tokens come from an OAuth login in the admin,
 * are refreshed ahead of expiry, and the Code Assist project is discovered (or the user
 * onboarded) when the account has none.
 */
import { randomBytes } from 'node:crypto';
import {
  secret,
  z,
  defineAccountType,
  type AccountCredentials,
  type AccountTypeDefinition,
  callUpstream,
  reasonOf,
  configuredModels,
  extractAuthorizationCode,
} from '@switchyard/plugin-api';
import { GEMINI_MODEL_CATALOG } from './model-patterns.js';
import { discoverProject, callCodeAssist } from './code-assist-project.js';
import { codeAssistTarget } from './code-assist-request.js';
import { GEMINI_CODE_ASSIST } from './gemini-code-assist-protocol.js';
import type { GeminiOptions } from './gemini-options.js';
import { classifyGoogleError } from './google-error-classifier.js';
import { authorizationUrl, createPkce, exchangeCode, refreshTokens } from './google-oauth.js';
import { DEFAULT_GEMINI_MODELS } from './gemini-api-account-type.js';
import { splitBaseUrl, timestamp, timestampMs } from '@switchyard/plugin-api';
import { geminiOAuthCrsImport } from './gemini-crs-imports.js';

/** The credential schema of a `gemini-oauth` account. */
export const geminiOAuthCredentialsSchema = z.object({
  accessToken: secret(z.string().min(1)).meta({ title: 'Access token' }),
  refreshToken: secret(z.string().min(1)).meta({ title: 'Refresh token' }),
  expiresAt: timestamp()
    .describe('When the access token expires: ISO 8601 (epoch milliseconds accepted, stored as ISO 8601)')
    .meta({ title: 'Access token expires at' }),
  projectId: z.string().min(1).optional().describe('Code Assist project; discovered when empty').meta({ title: 'Project ID' }),
});

/**
 * Decrypted credentials of a `gemini-oauth` account. `baseUrl` (Code Assist origin plus
 * optional path prefix, without `/v1internal`) replaces the plugin's `codeAssistEndpoint`.
 */
export type GeminiOAuthCredentials = AccountCredentials<typeof geminiOAuthCredentialsSchema>;

/** Creates the account type for the plugin's validated `options` (endpoints, OAuth client). */
export function createGeminiOAuthAccountType(options: GeminiOptions): AccountTypeDefinition<typeof geminiOAuthCredentialsSchema> {
  // A trailing /v1internal a user gives is dropped: the API version is added per call.
  const endpointOf = (credentials: GeminiOAuthCredentials): string =>
    splitBaseUrl(credentials.baseUrl ?? options.codeAssistEndpoint).root;
  // Unreadable expiries count as expired, so the token is refreshed rather than trusted.
  const expiresInMs = (credentials: GeminiOAuthCredentials, now: number): number =>
    (timestampMs(credentials.expiresAt) ?? 0) - now;
  return defineAccountType({
    id: 'gemini-oauth',
    imports: [geminiOAuthCrsImport],
    label: 'Gemini (Google account, Code Assist)',
    description:
      'A Google account signed in for Gemini Code Assist, as Gemini CLI uses with "login with Google". Needs the plugin option oauth.clientId.',
    credentials: geminiOAuthCredentialsSchema,
    settings: z.object({
      models: z
        .array(z.string().min(1))
        .optional()
        .describe("Models this account serves; `*` matches any run of characters. Absent: the plugin's default list.")
        .meta({ title: 'Models' }),
    }),
    serves: [GEMINI_CODE_ASSIST],
    models: GEMINI_MODEL_CATALOG,
    listModels: (account) => (configuredModels(account) ?? DEFAULT_GEMINI_MODELS).filter((model) => !model.includes('*')),
    defaultMaxConcurrency: 4,
    adapter: {
      async send({ request, credentials, http, signal }) {
        const target = codeAssistTarget(request, endpointOf(credentials), options.codeAssistApiVersion, credentials.projectId);
        const headers: Record<string, string> = Object.assign({}, request.headers, {
          authorization: `Bearer ${credentials.accessToken}`,
          'accept-encoding': 'identity',
        });
        if (target.method === 'POST') headers['content-type'] ??= 'application/json';
        return callUpstream(
          http,
          target.url,
          { method: target.method, headers, ...(target.body !== undefined ? { body: target.body } : {}), signal },
          'code assist',
        );
      },
    },
    refresh: {
      isDue: (credentials, now) => expiresInMs(credentials, now.getTime()) < options.refreshAheadMs || !credentials.projectId,
      async refresh({ credentials, http, signal }) {
        const changed: Partial<GeminiOAuthCredentials> = {};
        let token = credentials.accessToken;
        if (expiresInMs(credentials, Date.now()) < options.refreshAheadMs) {
          const tokens = await refreshTokens(http, options.oauth, credentials.refreshToken, signal);
          token = tokens.accessToken;
          Object.assign(
            changed,
            { accessToken: tokens.accessToken, expiresAt: tokens.expiresAt },
            tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {},
          );
        }
        if (!credentials.projectId)
          changed.projectId = (await discoverProject(http, options, endpointOf(credentials), token, signal)).projectId;
        return changed;
      },
    },
    classifyError: (response) => classifyGoogleError(response, 'gemini-oauth'),
    async probe({ credentials, http, signal }) {
      try {
        const body = await callCodeAssist(
          http,
          endpointOf(credentials),
          `/${options.codeAssistApiVersion}:loadCodeAssist`,
          credentials.accessToken,
          signal,
          {
            ...(credentials.projectId ? { cloudaicompanionProject: credentials.projectId } : {}),
            metadata: { ideType: 'IDE_UNSPECIFIED', platform: 'PLATFORM_UNSPECIFIED', pluginType: 'GEMINI' },
          },
        );
        const tier =
          body.currentTier && typeof body.currentTier === 'object' ? (body.currentTier as { id?: unknown }).id : undefined;
        return { ok: true, message: 'Code Assist answered', details: { tier, projectId: credentials.projectId } };
      } catch (error) {
        return { ok: false, message: `Code Assist check failed (${error instanceof Error ? error.message : reasonOf(error)})` };
      }
    },
    authFlows: [
      {
        id: 'google-oauth',
        label: 'Sign in with Google',
        async start() {
          const oauth = options.oauth;
          if (!oauth.clientId) throw new Error('Set the gemini plugin option oauth.clientId (your Google OAuth client) first.');
          const { verifier, challenge } = createPkce();
          const state = randomBytes(16).toString('hex');
          return {
            state: { verifier, state },
            authorizationUrl: authorizationUrl(oauth, oauth.clientId, challenge, state),
            instructions: 'Open the link, sign in with the Google account, then paste the code (or the whole redirect URL) here.',
            input: z.object({
              code: z
                .string()
                .min(1)
                .describe('The authorization code, or the redirect URL containing it')
                .meta({ title: 'Code' }),
            }),
          };
        },
        async complete(context, state, input) {
          const tokens = await exchangeCode(
            context.http,
            options.oauth,
            extractAuthorizationCode(input.code ?? ''),
            String(state.verifier),
            context.signal,
          );
          if (!tokens.refreshToken) throw new Error('Google returned no refresh token; revoke the app and sign in again.');
          const project = await discoverProject(
            context.http,
            options,
            options.codeAssistEndpoint,
            tokens.accessToken,
            context.signal,
          );
          return {
            status: 'done',
            credentials: {
              accessToken: tokens.accessToken,
              refreshToken: tokens.refreshToken,
              expiresAt: tokens.expiresAt,
              projectId: project.projectId,
            },
            suggestedName: `gemini ${project.projectId}`,
          };
        },
      },
    ],
  });
}
