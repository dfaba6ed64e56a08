/**
 * The headers of a call made with a Claude OAuth token. Anthropic accepts OAuth tokens
 * on the API only with the `oauth-2025-04-20` beta flag; Claude Code logged in with a
 * subscription sends it itself, other clients (an API-key client relayed onto a
 * subscription account) do not, so it is added to the client's `anthropic-beta` list
 * when absent. The rest of the list is forwarded as the client sent it, never rewritten.
 */

/** The beta flag Anthropic requires with OAuth tokens. */
export const OAUTH_BETA = 'oauth-2025-04-20';

/** The client's `anthropic-beta` list with {@link OAUTH_BETA} appended when it is missing. */
export function withOAuthBeta(clientBeta: string | undefined): string {
  if (!clientBeta || clientBeta.trim() === '') return OAUTH_BETA;
  const flags = clientBeta.split(',').map((flag) => flag.trim());
  return flags.includes(OAUTH_BETA) ? clientBeta : `${clientBeta},${OAUTH_BETA}`;
}

/** Sets the bearer token and the beta list, removing any other credential header. */
export function authorizeWithOAuthToken(headers: Record<string, string>, accessToken: string): void {
  delete headers['x-api-key'];
  headers.authorization = `Bearer ${accessToken}`;
  headers['anthropic-beta'] = withOAuthBeta(headers['anthropic-beta']);
}
