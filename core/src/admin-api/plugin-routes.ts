/**
 * Plugins and account types, as the registry holds them: the web admin builds its
 * account forms from the JSON Schemas returned here, so a new plugin's account type
 * gets a working form without any change to the admin.
 */
import { z } from 'zod';
import { secretFields } from '@switchyard/plugin-api';
import type { RegisteredAccountType } from '../plugins/registry-types.js';
import { found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { accountTypeSchema, pluginInfoSchema } from './account-schemas.js';
import { formSchema } from './form-schema.js';

/** The admin view of a registered account type. */
export function describeAccountType(type: RegisteredAccountType) {
  const definition = type.definition;
  return {
    id: definition.id,
    pluginId: type.pluginId,
    label: definition.label,
    description: definition.description,
    serves: [...type.serves],
    credentialsSchema: formSchema(type.credentialSchema),
    settingsSchema: formSchema(type.settingsSchema),
    secretFields: secretFields(type.credentialSchema),
    canProbe: typeof definition.probe === 'function',
    authFlows: (definition.authFlows ?? []).map((flow) => ({ id: flow.id, label: flow.label })),
  };
}

/** Plugin and account type routes. */
export const pluginRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/plugins',
    id: 'listPlugins',
    tag: 'plugins',
    summary: 'Loaded plugins',
    response: z.array(pluginInfoSchema),
    async handle({ deps }) {
      return deps.registry.plugins.map((loaded) => ({
        id: loaded.plugin.id,
        description: loaded.plugin.description,
        source: loaded.source,
        mounts: [...loaded.mounts],
        accountTypes: (loaded.plugin.accountTypes ?? []).map((type) => type.id),
        protocols: (loaded.plugin.protocols ?? []).map((protocol) => protocol.id),
      }));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/account-types',
    id: 'listAccountTypes',
    tag: 'plugins',
    summary: 'Account types with JSON Schemas of their credentials (secret fields marked x-switchyard-secret) and settings',
    response: z.array(accountTypeSchema),
    async handle({ deps }) {
      return deps.registry.accountTypes().map(describeAccountType);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/account-types/:type',
    id: 'getAccountType',
    tag: 'plugins',
    summary: 'One account type',
    response: accountTypeSchema,
    async handle({ params, deps }) {
      return describeAccountType(found(deps.registry.accountType(params['type']!), 'account type'));
    },
  }),
];
