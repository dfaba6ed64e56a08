import { z } from 'zod';
import { secret } from '@switchyard/plugin-api';
import type { PluginRegistry, RegisteredAccountType } from '../../src/plugins/registry-types.js';

/** A registry stub with two account types, `test-key` and `test-oauth`. */
export function testRegistry(): Pick<PluginRegistry, 'accountType'> {
  const types = new Map<string, RegisteredAccountType>();
  const add = (id: string, credentialSchema: z.ZodObject, settingsSchema: z.ZodObject) =>
    types.set(id, { pluginId: 'test', definition: { id } as never, serves: [], credentialSchema, settingsSchema });
  add(
    'test-key',
    z.object({
      baseUrl: z.url().optional(),
      apiKey: secret(z.string().min(10)),
      organization: z.string().optional(),
    }),
    z.object({ region: z.enum(['us', 'eu']).default('us'), models: z.array(z.string()).default([]) }),
  );
  add(
    'test-oauth',
    z.object({
      baseUrl: z.url().optional(),
      accessToken: secret(z.string()),
      refreshToken: secret(z.string()),
      expiresAt: z.number().optional(),
    }),
    z.object({}),
  );
  return { accountType: (id) => types.get(id) };
}
