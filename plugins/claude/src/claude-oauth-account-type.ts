/**
 * The `claude-oauth` account type: a Claude Pro/Max subscription, used with an OAuth
 * access token as `Authorization: Bearer`. Tokens are refreshed five minutes ahead of
 * expiry through the token endpoint (the core runs the refresh under a lock shared by
 * every gateway instance); setup tokens have no refresh token and are used as they are.
 */
import { defineAccountType, z, type AccountTypeDefinition } from '@switchyard/plugin-api';
import { ANTHROPIC_MESSAGES } from './anthropic-messages-protocol.js';
import type { ClaudeOptions } from './claude-options.js';
import { CLAUDE_MODEL_CATALOG, modelSettingsShape } from './claude-model-settings.js';
import { claudeOAuthCredentialsSchema, isRefreshDue, type ClaudeOAuthCredentials } from './claude-oauth-credentials.js';
import { createPkceFlow, createSetupTokenFlow } from './claude-oauth-flows.js';
import { authorizeWithOAuthToken } from './claude-oauth-headers.js';
import { probeClaudeOAuth } from './claude-oauth-probe.js';
import { refreshAccessToken } from './claude-oauth-tokens.js';
import { classifyClaudeError } from './classify-claude-error.js';
import { dailyQuotaSettingsShape } from './daily-quota.js';
import type { RateLimitStatusBook } from './rate-limit-status.js';
import { sendToAnthropic } from './send-to-anthropic.js';
import { claudeOAuthCrsImport } from './claude-crs-imports.js';

/**
 * Builds the claude-oauth account type for the plugin's validated `options`, keeping each
 * answer's unified rate-limit status in `rateLimits` (one book per plugin instance).
 */
export function createClaudeOAuthAccountType(
  options: ClaudeOptions,
  rateLimits: RateLimitStatusBook,
): AccountTypeDefinition<typeof claudeOAuthCredentialsSchema> {
  return defineAccountType({
    id: 'claude-oauth',
    label: 'Claude subscription (Pro/Max, OAuth)',
    description: 'A Claude Pro or Max subscription, connected with the Claude login (PKCE) or a token from `claude setup-token`.',
    credentials: claudeOAuthCredentialsSchema,
    settings: z.object({
      models: modelSettingsShape.models,
      ...dailyQuotaSettingsShape,
      pauseOnFiveHourWarning: z
        .boolean()
        .optional()
        .describe('Stop using the account while Anthropic warns that its 5-hour window is nearly used (until the window resets).')
        .meta({ title: 'Pause on the 5-hour warning' }),
    }),
    serves: [ANTHROPIC_MESSAGES],
    models: CLAUDE_MODEL_CATALOG,
    adapter: {
      async send(call) {
        const response = await sendToAnthropic(call, {
          baseUrl: call.credentials.baseUrl ?? options.apiUrl,
          authorize: (headers) => authorizeWithOAuthToken(headers, call.credentials.accessToken),
        });
        rateLimits.remember(call.kv, call.account.id, response.headers);
        return response;
      },
    },
    refresh: {
      isDue: isRefreshDue,
      async refresh({ credentials, http, signal }) {
        const tokens = await refreshAccessToken(http, options, credentials.refreshToken ?? '', signal);
        const changes: Partial<ClaudeOAuthCredentials> = { accessToken: tokens.accessToken };
        if (tokens.refreshToken) changes.refreshToken = tokens.refreshToken;
        if (tokens.expiresAt) changes.expiresAt = tokens.expiresAt;
        if (tokens.scopes) changes.scopes = tokens.scopes;
        return changes;
      },
    },
    probe: (context) => probeClaudeOAuth(options, context),
    authFlows: [createPkceFlow(options), createSetupTokenFlow()],
    classifyError: (response) => classifyClaudeError(response),
    imports: [claudeOAuthCrsImport],
  });
}
