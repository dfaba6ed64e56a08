/**
 * The `device-code` auth flow of `droid` accounts: the admin shows the WorkOS user code
 * and verification URL, then polls `complete` until the operator approved the login. A
 * login whose tokens name no organization is scoped to the first one Factory lists for
 * it (`/api/cli/org`) by one refresh, as Factory's CLI does.
 */
import type { AuthFlow } from '@switchyard/plugin-api';
import type { DroidCredentials } from './droid-credentials.js';
import type { DroidOptions } from './droid-options.js';
import {
  factoryOrganizationOf,
  pollDeviceLogin,
  refreshWorkosTokens,
  startDeviceLogin,
  type WorkosTokens,
} from './workos-login.js';

/** The flow for the plugin's OAuth options. */
export function deviceCodeFlow(oauth: DroidOptions['oauth']): AuthFlow<DroidCredentials> {
  return {
    id: 'device-code',
    label: 'Sign in to Factory (device code)',
    async start(context) {
      if (!oauth.clientId) throw new Error('Set the droid plugin option oauth.clientId first.');
      const login = await startDeviceLogin(context.http, oauth, context.signal);
      return {
        state: { deviceCode: login.deviceCode, expiresAt: login.expiresAt },
        userCode: login.userCode,
        verificationUrl: login.verificationUrl,
        instructions: 'Open the link, sign in to Factory and confirm the code shown here. This page waits for the approval.',
        pollIntervalMs: login.intervalMs,
      };
    },
    async complete(context, state) {
      const expiresAt = typeof state.expiresAt === 'string' ? Date.parse(state.expiresAt) : Number.NaN;
      if (Number.isFinite(expiresAt) && Date.now() > expiresAt) throw new Error('The login code expired; start again.');
      const polled = await pollDeviceLogin(context.http, oauth, String(state.deviceCode ?? ''), context.signal);
      if (polled === 'pending') return { status: 'pending' };
      let tokens: WorkosTokens = polled;
      if (!tokens.organizationId && tokens.refreshToken) {
        const organizationId = await factoryOrganizationOf(context.http, oauth, tokens.accessToken, context.signal);
        if (organizationId) {
          const scoped = await refreshWorkosTokens(context.http, oauth, tokens.refreshToken, organizationId, context.signal);
          tokens = { organizationId, ...scoped, ...(tokens.email ? { email: tokens.email } : {}) };
        }
      }
      if (!tokens.refreshToken) throw new Error('The sign-in gave no refresh token; try again.');
      const credentials: DroidCredentials = {
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken,
        expiresAt: tokens.expiresAt,
        ...(tokens.organizationId ? { organizationId: tokens.organizationId } : {}),
      };
      return { status: 'done', credentials, suggestedName: tokens.email ? `droid ${tokens.email}` : 'droid' };
    },
  };
}
