/**
 * The credentials and settings of a `droid` account. Credentials are either one or more
 * Factory API keys (`apiKeys`) or the tokens of a WorkOS sign-in (`accessToken`,
 * `refreshToken`, `expiresAt`, `organizationId`), which the device-code login fills in.
 */
import { secret, timestamp, z, type AccountCredentials } from '@switchyard/plugin-api';
import { DROID_ENDPOINT_KINDS, type DroidEndpointKind } from './droid-endpoints.js';

/** The credential schema. */
export const droidCredentialsSchema = z.object({
  apiKeys: secret(z.array(z.string().min(8)).min(1))
    .optional()
    .describe(
      'Factory API keys (fk-…). Each conversation uses one of them; a key that fails authentication is skipped for a while.',
    )
    .meta({ title: 'API keys' }),
  accessToken: secret(z.string().min(1))
    .optional()
    .describe('WorkOS access token (filled in by the device-code login)')
    .meta({ title: 'Access token' }),
  refreshToken: secret(z.string().min(1))
    .optional()
    .describe('WorkOS refresh token (filled in by the device-code login)')
    .meta({ title: 'Refresh token' }),
  expiresAt: timestamp()
    .optional()
    .describe('When the access token expires: ISO 8601 (epoch milliseconds accepted)')
    .meta({ title: 'Access token expires at' }),
  organizationId: z
    .string()
    .min(1)
    .optional()
    .describe('WorkOS organization the tokens are scoped to')
    .meta({ title: 'Organization ID' }),
  baseUrl: z
    .string()
    .url()
    .optional()
    .describe('API origin (plus optional path prefix) replacing https://api.factory.ai, e.g. for a test double')
    .meta({ title: 'Base URL' }),
});

/** The decrypted credentials of a droid account. */
export type DroidCredentials = AccountCredentials<typeof droidCredentialsSchema>;

/** The settings schema. */
export const droidSettingsSchema = z.object({
  endpoints: z
    .array(z.enum(DROID_ENDPOINT_KINDS))
    .min(1)
    .optional()
    .describe('Endpoint kinds this account serves (anthropic, openai, comm); default all three')
    .meta({ title: 'Endpoints' }),
  models: z
    .array(z.string().min(1))
    .optional()
    .describe('Model patterns this account serves, replacing the defaults (add "*" to widen)')
    .meta({ title: 'Models' }),
});

/** The endpoint kinds an account's (validated) settings allow: all when it names none. */
export function allowedEndpoints(settings: Readonly<Record<string, unknown>>): readonly DroidEndpointKind[] {
  const endpoints = settings.endpoints;
  return Array.isArray(endpoints) && endpoints.length > 0 ? (endpoints as DroidEndpointKind[]) : DROID_ENDPOINT_KINDS;
}
