/**
 * Type tests of `defineAccountType` and the account type contract (type-checked by
 * `tsc -p tsconfig.check.json`, never run): each `@ts-expect-error` line must fail to
 * compile, every other line must compile.
 */
import {
  PLUGIN_API_VERSION,
  defineAccountType,
  definePlugin,
  secret,
  z,
  type AccountCredentials,
  type AccountTypeDefinition,
  type UpstreamResponse,
} from '../../src/index.js';

declare function answer(): UpstreamResponse;

const keySchema = z.object({ apiKey: secret(z.string().min(8)), organization: z.string().optional() });
const oauthSchema = z.object({ accessToken: secret(z.string()), refreshToken: secret(z.string()), expiresAt: z.string() });

// The credentials of every hook come from the schema (plus the optional baseUrl).
export const keyType = defineAccountType({
  id: 'acme-key',
  label: 'Acme key',
  credentials: keySchema,
  serves: ['acme-chat', { protocol: 'openai-chat', whenAvailable: true }],
  adapter: {
    async send(call) {
      const key: string = call.credentials.apiKey;
      const organization: string | undefined = call.credentials.organization;
      const baseUrl: string | undefined = call.credentials.baseUrl;
      void [key, organization, baseUrl];
      return answer();
    },
  },
  async probe({ credentials }) {
    // @ts-expect-error `secret` is not a field of the credentials schema
    void credentials.secret;
    return { ok: credentials.apiKey.length > 0 };
  },
});

export const typedKeyType: AccountTypeDefinition<typeof keySchema> = keyType;
export const keyCredentials: AccountCredentials<typeof keySchema> = { apiKey: 'k'.repeat(8), baseUrl: 'http://127.0.0.1:1' };

defineAccountType({
  id: 'acme-wrong-read',
  label: 'reads a field it does not declare',
  credentials: keySchema,
  serves: ['acme-chat'],
  adapter: {
    async send({ credentials }) {
      // @ts-expect-error the adapter reads `token`, which the schema lacks
      void credentials.token.length;
      return answer();
    },
  },
});

defineAccountType({
  id: 'acme-oauth',
  label: 'Acme login',
  credentials: oauthSchema,
  serves: ['acme-chat'],
  adapter: { send: async () => answer() },
  refresh: {
    isDue: (credentials, now) => Date.parse(credentials.expiresAt) - now.getTime() < 60_000,
    // @ts-expect-error refresh returns credential fields: expiresAt is a string, not a number
    refresh: async () => ({ accessToken: 'new', expiresAt: 0 }),
  },
  authFlows: [
    {
      id: 'paste',
      label: 'Paste tokens',
      start: async () => ({ state: {} }),
      // @ts-expect-error a finished flow returns complete credentials: refreshToken and expiresAt are missing
      complete: async () => ({ status: 'done', credentials: { accessToken: 'a' } }),
    },
  ],
});

defineAccountType({
  id: 'acme-bad-serves',
  label: 'serves a protocol half when available',
  credentials: keySchema,
  // @ts-expect-error whenAvailable is `true` or the entry is a plain protocol id
  serves: [{ protocol: 'openai-chat', whenAvailable: false }],
  adapter: { send: async () => answer() },
});

defineAccountType({
  id: 'acme-no-schema',
  label: 'credentials are a zod object schema',
  // @ts-expect-error credentials must be a zod object schema, not a type
  credentials: { apiKey: 'string' },
  serves: ['acme-chat'],
  adapter: { send: async () => answer() },
});

// A catalog may name what an account's settings admit (defaults may then be empty).
export const deploymentsType = defineAccountType({
  id: 'acme-deployments',
  label: 'Acme deployments',
  credentials: keySchema,
  serves: ['acme-chat'],
  models: { defaults: [], fromSettings: (settings) => Object.keys(settings) },
  adapter: { send: async () => answer() },
});

defineAccountType({
  id: 'acme-bad-catalog',
  label: 'fromSettings returns model names',
  credentials: keySchema,
  serves: ['acme-chat'],
  // @ts-expect-error fromSettings returns strings, not a count
  models: { defaults: [], fromSettings: () => 3 },
  adapter: { send: async () => answer() },
});

// Account types with different schemas share one plugin's list, without `any`.
export const provider = definePlugin({
  id: 'acme',
  apiVersion: PLUGIN_API_VERSION,
  accountTypes: [
    keyType,
    defineAccountType({
      id: 'acme-oauth',
      label: 'Acme login',
      credentials: oauthSchema,
      serves: ['acme-chat'],
      adapter: {
        async send({ credentials }) {
          void credentials.accessToken;
          return answer();
        },
      },
    }),
  ],
});
