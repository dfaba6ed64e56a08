/**
 * Microsoft Entra ID (Azure AD) access tokens for an `azure-openai` account from an app
 * registration's client credentials (OAuth 2.0 client credentials grant): `POST
 * {authorityHost}/{tenantId}/oauth2/v2.0/token` with `grant_type=client_credentials`,
 * `client_id`, `client_secret` and `scope=https://cognitiveservices.azure.com/.default`
 * (Microsoft identity platform, "OAuth 2.0 client credentials flow",
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow).
 *
 * The token is kept with the account's credentials (`accessToken`, `expiresAt`, encrypted
 * like every secret field) and fetched again five minutes before it expires, by the
 * contract's credential refresher: the core runs it under the lock every gateway instance
 * shares, so one instance fetches a token per account at a time and the others use it.
 */
import { postTokenForm, timestampMs, tokenCount, type AccountContext, type CredentialRefresher } from '@switchyard/plugin-api';
import type { AzureOpenAiCredentials } from './azure-settings.js';

/** The authority host of Azure's public cloud (sovereign clouds have their own: `https://login.microsoftonline.us`, ...). */
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** The scope of Azure OpenAI (Cognitive Services) tokens in Azure's public cloud. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** How long before its expiry a token is replaced. */
export const REFRESH_AHEAD_MS = 5 * 60_000;

/** How an account authenticates: its resource key, Entra ID client credentials, or a static bearer token. */
export type AzureAuthMode = 'apiKey' | 'clientCredentials' | 'bearerToken' | 'none';

/** The account's way to authenticate; a resource key wins over client credentials, which win over a static token. */
export function authModeOf(credentials: AzureOpenAiCredentials): AzureAuthMode {
  if (credentials.apiKey) return 'apiKey';
  if (credentials.tenantId && credentials.clientId && credentials.clientSecret) return 'clientCredentials';
  if (credentials.bearerToken) return 'bearerToken';
  return 'none';
}

/** The tenant's token endpoint: `{authorityHost}/{tenantId}/oauth2/v2.0/token`. */
export function entraTokenUrl(credentials: Pick<AzureOpenAiCredentials, 'authorityHost' | 'tenantId'>): string {
  const host = (credentials.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
  return `${host}/${encodeURIComponent(credentials.tenantId ?? '')}/oauth2/v2.0/token`;
}

/** True when a client-credentials account has no token, or one that expires within {@link REFRESH_AHEAD_MS}. */
export function isEntraTokenDue(credentials: AzureOpenAiCredentials, now: Date): boolean {
  if (authModeOf(credentials) !== 'clientCredentials') return false;
  if (!credentials.accessToken) return true;
  const expiresAt = timestampMs(credentials.expiresAt);
  return expiresAt === undefined || expiresAt - now.getTime() <= REFRESH_AHEAD_MS;
}

/** A token and its expiry (ISO 8601), as credential fields. */
export interface EntraToken {
  accessToken: string;
  expiresAt: string;
}

/**
 * Asks the tenant's token endpoint for a token. Failures are `UpstreamError`s naming only
 * the endpoint's origin (`auth_failed` for a refused secret, `upstream_5xx` for Entra's
 * own failures); a connection failure is thrown as it is (the core counts it as `network`).
 */
export async function fetchEntraToken(
  { credentials, http, signal }: Pick<AccountContext<AzureOpenAiCredentials>, 'credentials' | 'http' | 'signal'>,
  now: () => number = Date.now,
): Promise<EntraToken> {
  const answer = await postTokenForm(
    http,
    entraTokenUrl(credentials),
    {
      grant_type: 'client_credentials',
      client_id: credentials.clientId ?? '',
      client_secret: credentials.clientSecret ?? '',
      scope: credentials.scope ?? COGNITIVE_SERVICES_SCOPE,
    },
    signal,
    'Entra ID',
  );
  // expires_in is in seconds (a number, or a string from some authorities); an hour when absent.
  const seconds = tokenCount(typeof answer.expires_in === 'string' ? Number(answer.expires_in) : answer.expires_in) || 3600;
  return { accessToken: answer.access_token, expiresAt: new Date(now() + seconds * 1000).toISOString() };
}

/** The credential refresher of `azure-openai` accounts: client-credentials tokens, fetched ahead of expiry. */
export const entraTokenRefresher: CredentialRefresher<AzureOpenAiCredentials> = {
  isDue: isEntraTokenDue,
  refresh: async (context) => ({ ...(await fetchEntraToken(context)) }),
};
