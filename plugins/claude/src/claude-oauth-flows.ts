/**
 * How an operator connects a Claude Pro/Max subscription in the admin:
 *
 * - `pkce`: the OAuth login Claude Code itself uses. `start` builds the authorization
 *   URL (S256 code challenge, random state); the operator logs in and pastes what the
 *   callback page shows (`code#state`) or the whole callback URL; `complete` checks the
 *   state and exchanges the code at the token endpoint.
 * - `setup-token`: a long-lived token made with `claude setup-token`, pasted as it is
 *   (no refresh token: it is used until it expires, about a year).
 */
import { randomBytes } from 'node:crypto';
import { GatewayError, createPkcePair, z, type AuthFlow } from '@switchyard/plugin-api';
import type { ClaudeOptions } from './claude-options.js';
import type { ClaudeOAuthCredentials } from './claude-oauth-credentials.js';
import { exchangeAuthorizationCode } from './claude-oauth-tokens.js';

/** The code and state in what the operator pasted: `code#state`, a callback URL, or a bare code. */
export function parsePastedCode(pasted: string): { code: string; state?: string } {
  const text = pasted.trim();
  if (/^https?:\/\//i.test(text)) {
    const url = new URL(text);
    const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
    const code = url.searchParams.get('code') ?? fragment.get('code');
    const state = url.searchParams.get('state') ?? fragment.get('state');
    if (!code)
      throw new GatewayError(
        'invalid_request',
        'The pasted URL has no code parameter; paste the callback URL or the code shown after login.',
      );
    return state ? { code, state } : { code };
  }
  const [code = '', state] = text.split('#', 2);
  if (code === '') throw new GatewayError('invalid_request', 'Paste the code shown after login (it looks like code#state).');
  return state ? { code, state } : { code };
}

function stringField(state: Record<string, unknown>, name: string): string {
  const value = state[name];
  if (typeof value !== 'string' || value === '')
    throw new GatewayError('invalid_request', 'This login attempt has expired; start again.');
  return value;
}

/** The PKCE login flow. */
export function createPkceFlow(options: ClaudeOptions): AuthFlow<ClaudeOAuthCredentials> {
  return {
    id: 'pkce',
    label: 'Log in with Claude (Pro/Max)',
    async start() {
      const { oauth } = options;
      const { verifier, challenge } = createPkcePair();
      const state = randomBytes(32).toString('base64url');
      const url = new URL(oauth.authorizeUrl);
      url.searchParams.set('code', 'true');
      url.searchParams.set('client_id', oauth.clientId);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('redirect_uri', oauth.redirectUri);
      url.searchParams.set('scope', oauth.scopes);
      url.searchParams.set('code_challenge', challenge);
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      return {
        state: { verifier, state },
        authorizationUrl: url.toString(),
        instructions:
          'Open the link, log in with the Claude account, then paste the code shown (code#state) or the full callback URL.',
        input: z.object({
          code: z
            .string()
            .min(1)
            .describe('The code shown after login (code#state), or the callback URL.')
            .meta({ title: 'Code' }),
        }),
      };
    },
    async complete(context, state, input) {
      const verifier = stringField(state, 'verifier');
      const expectedState = stringField(state, 'state');
      const pasted = parsePastedCode(input.code ?? '');
      if (pasted.state !== undefined && pasted.state !== expectedState) {
        throw new GatewayError(
          'invalid_request',
          'The pasted code belongs to another login attempt (state mismatch); start again.',
        );
      }
      const tokens = await exchangeAuthorizationCode(
        context.http,
        options,
        { code: pasted.code, verifier, state: expectedState },
        context.signal,
      );
      const credentials: ClaudeOAuthCredentials = { accessToken: tokens.accessToken };
      if (tokens.refreshToken) credentials.refreshToken = tokens.refreshToken;
      if (tokens.expiresAt) credentials.expiresAt = tokens.expiresAt;
      if (tokens.scopes) credentials.scopes = tokens.scopes;
      return { status: 'done', credentials, ...(tokens.email ? { suggestedName: tokens.email } : {}) };
    },
  };
}

/** The pasted setup-token flow. */
export function createSetupTokenFlow(): AuthFlow<ClaudeOAuthCredentials> {
  return {
    id: 'setup-token',
    label: 'Paste a long-lived token (claude setup-token)',
    async start() {
      return {
        state: {},
        instructions:
          'Run `claude setup-token` where the subscription is logged in, and paste the token it prints (sk-ant-oat01-…).',
        input: z.object({
          token: z.string().min(20).describe('The token printed by `claude setup-token`.').meta({ title: 'Setup token' }),
        }),
      };
    },
    async complete(_context, _state, input) {
      const token = (input.token ?? '').trim();
      if (token.length < 20 || /\s/.test(token))
        throw new GatewayError('invalid_request', 'That does not look like a token from `claude setup-token`.');
      return { status: 'done', credentials: { accessToken: token } };
    },
  };
}
