/**
 * A plugin whose account type is connected only through an auth flow (a pasted code),
 * to test that the admin drives flows generically.
 */
import { PLUGIN_API_VERSION, UpstreamError, definePlugin, secret, z } from '@switchyard/plugin-api';

export const flowPlugin = definePlugin({
  id: 'flowdemo',
  apiVersion: PLUGIN_API_VERSION,
  accountTypes: [
    {
      id: 'flowdemo-token',
      label: 'Flow demo token',
      credentials: z.object({ token: secret(z.string().min(4)), region: z.enum(['eu', 'us']).default('eu') }),
      serves: ['echo'],
      adapter: {
        async send() {
          throw new UpstreamError('network', 'flowdemo has no upstream');
        },
      },
      authFlows: [
        {
          id: 'paste-code',
          label: 'Paste a code',
          async start() {
            return {
              state: { nonce: 'n-123', verifier: 'pkce-verifier-xyz' },
              authorizationUrl: 'https://auth.example.test/authorize?state=n-123',
              instructions: 'Open the link, then paste the code.',
              input: z.object({ code: z.string().min(1) }),
            };
          },
          async complete(_context, state, input) {
            if (state['verifier'] !== 'pkce-verifier-xyz') throw new Error('state lost');
            if (input['code'] === 'wait') return { status: 'pending' };
            return {
              status: 'done',
              credentials: { token: `tok-${input['code']}`, region: 'eu' as const },
              suggestedName: 'From flow',
            };
          },
        },
      ],
    },
  ],
});
