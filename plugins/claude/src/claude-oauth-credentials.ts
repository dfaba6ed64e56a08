/**
 * The credentials of a `claude-oauth` account (a Claude Pro/Max subscription) and when
 * they are due for a refresh.
 */
import { secret, timestamp, timestampMs, z, type AccountCredentials } from '@switchyard/plugin-api';

/** The credential schema. */
export const claudeOAuthCredentialsSchema = z.object({
  accessToken: secret(z.string().min(8)).describe('OAuth access token (sk-ant-oat01-…).').meta({ title: 'Access token' }),
  refreshToken: secret(z.string().min(8))
    .optional()
    .describe('OAuth refresh token (absent for setup tokens).')
    .meta({ title: 'Refresh token' }),
  expiresAt: timestamp()
    .optional()
    .describe('When the access token expires: ISO 8601 (epoch milliseconds accepted, stored as ISO 8601).')
    .meta({ title: 'Access token expires at' }),
  scopes: z.string().optional().describe('Granted scopes, space-separated.').meta({ title: 'Scopes' }),
  baseUrl: z
    .string()
    .url()
    .optional()
    .describe(
      'API origin plus optional path prefix, without /v1 (a trailing /v1 is tolerated); default https://api.anthropic.com.',
    )
    .meta({ title: 'Base URL' }),
});

/** The decrypted credentials of a claude-oauth account, as every hook gets them. */
export type ClaudeOAuthCredentials = AccountCredentials<typeof claudeOAuthCredentialsSchema>;

/** Refresh this long before expiry. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;

/** True when the token can be refreshed and expires within {@link REFRESH_AHEAD_MS}. */
export function isRefreshDue(credentials: ClaudeOAuthCredentials, now: Date): boolean {
  if (!credentials.refreshToken || !credentials.expiresAt) return false;
  const expires = timestampMs(credentials.expiresAt);
  return expires !== undefined && expires - now.getTime() < REFRESH_AHEAD_MS;
}
