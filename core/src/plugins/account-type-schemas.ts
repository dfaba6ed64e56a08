/**
 * The schemas the core validates an account's credentials and settings with: the
 * account type's own, plus the optional `baseUrl` every account type accepts.
 */
import { z } from 'zod';
import type { AccountTypeDefinition } from '@switchyard/plugin-api';

/** An upstream base URL: an http(s) origin with an optional path prefix, without the API version. */
export const baseUrlSchema = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .describe(
    "Origin plus optional path prefix, without the API version (a trailing `/v1` is tolerated, not doubled); default: the provider's API.",
  )
  .meta({ title: 'Base URL' });

/**
 * The account type's credential schema extended with an optional `baseUrl`
 * ({@link baseUrlSchema}); returned unchanged when it already declares `baseUrl`.
 */
export function credentialSchemaFor(definition: AccountTypeDefinition): z.ZodObject {
  const schema = definition.credentials;
  if (Object.hasOwn(schema.shape, 'baseUrl')) return schema;
  return schema.extend({ baseUrl: baseUrlSchema.optional() });
}

/** The account type's settings schema, or an empty object schema when it declares none. */
export function settingsSchemaFor(definition: AccountTypeDefinition): z.ZodObject {
  return definition.settings ?? z.object({});
}
