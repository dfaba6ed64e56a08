/**
 * Client keys: create with limits (the plaintext is in that answer only), batch create,
 * regenerate (a new secret, shown once), enable/disable, update, delete, per-key usage.
 * Stored hashes never leave the server: answers are parsed through `keyViewSchema`.
 * Keys the config file declares are read-only here (config-owned.ts); one the file no
 * longer declares may still be deleted.
 */
import { z } from 'zod';
import type { KeyRecord } from '../store/types.js';
import { generateKey } from '../keys/key-material.js';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { okSchema } from './common-schemas.js';
import { refuseConfigOwned } from './config-owned.js';
import { batchCreateKeysSchema, createdKeySchema, createKeySchema, keyViewSchema, updateKeySchema } from './key-schemas.js';
import { usageSummaryQuerySchema, usageSummarySchema } from './usage-schemas.js';
import { summaryFor } from './usage-routes.js';

/** A key record without its hash. */
export function keyView(record: KeyRecord) {
  const { hash: _hash, ...view } = record;
  return view;
}

/** What a key's `permissions` and `clients` limits can name, for the key form. */
const keyOptionsSchema = z.object({
  families: z.array(z.string()).describe("Protocol families a key's permissions can name"),
  clients: z.array(z.object({ id: z.string(), label: z.string() })).describe("Client programs a key's clients limit can name"),
});

/** Key routes. */
export const keyRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/key-options',
    id: 'getKeyOptions',
    tag: 'keys',
    summary: "What a key's limits can name: protocol families (permissions) and client programs (clients)",
    response: keyOptionsSchema,
    async handle({ deps }) {
      const families = [...new Set(deps.registry.protocols().map((protocol) => protocol.definition.family))].sort();
      const clients = deps.registry.extensions.clientDetectors.map((detector) => ({ id: detector.id, label: detector.label }));
      return { families, clients };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/keys',
    id: 'listKeys',
    tag: 'keys',
    summary: 'Every key (hints only, never the keys)',
    response: z.array(keyViewSchema),
    async handle({ deps }) {
      return (await deps.keys.list()).map(keyView);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys',
    id: 'createKey',
    tag: 'keys',
    summary: 'Create a key; the answer holds the key itself, shown this once',
    status: 201,
    body: createKeySchema,
    response: createdKeySchema,
    async handle({ body, deps, admin }) {
      const created = await deps.keys.create({ ...body, source: 'admin' });
      deps.log.info('key created', { keyId: created.record.id, by: admin });
      return { key: keyView(created.record), plaintext: created.plaintext };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/batch',
    id: 'createKeys',
    tag: 'keys',
    summary: 'Create several keys at once, named <namePrefix>-1 … <namePrefix>-N',
    status: 201,
    body: batchCreateKeysSchema,
    response: z.array(createdKeySchema),
    async handle({ body, deps, admin }) {
      const { namePrefix, count, ...rest } = body;
      const created = [];
      for (let index = 1; index <= count; index += 1) {
        const made = await deps.keys.create({ ...rest, name: `${namePrefix}-${index}`, source: 'admin' });
        created.push({ key: keyView(made.record), plaintext: made.plaintext });
      }
      deps.log.info('keys created', { count, by: admin });
      return created;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/keys/:id',
    id: 'getKey',
    tag: 'keys',
    summary: 'One key',
    response: keyViewSchema,
    async handle({ params, deps }) {
      return keyView(found(await deps.keys.get(params['id']!), 'key'));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/keys/:id',
    id: 'updateKey',
    tag: 'keys',
    summary:
      'Change a key (name, description, owner, tags, enabled, expiry, limits: given limits replace the stored ones whole); 409 for a key the config file declares',
    body: updateKeySchema,
    response: keyViewSchema,
    async handle({ params, body, deps, admin }) {
      refuseConfigOwned(found(await deps.keys.get(params['id']!), 'key'), 'key');
      const updated = keyView(found(await deps.keys.update(params['id']!, body), 'key'));
      deps.log.info('key changed', { keyId: updated.id, fields: Object.keys(body), by: admin });
      return updated;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/:id/enable',
    id: 'enableKey',
    tag: 'keys',
    summary: 'Enable a key',
    response: keyViewSchema,
    async handle({ params, deps }) {
      refuseConfigOwned(found(await deps.keys.get(params['id']!), 'key'), 'key');
      return keyView(found(await deps.keys.setEnabled(params['id']!, true), 'key'));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/:id/disable',
    id: 'disableKey',
    tag: 'keys',
    summary: 'Disable a key (requests with it are refused)',
    response: keyViewSchema,
    async handle({ params, deps }) {
      refuseConfigOwned(found(await deps.keys.get(params['id']!), 'key'), 'key');
      return keyView(found(await deps.keys.setEnabled(params['id']!, false), 'key'));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/:id/regenerate',
    id: 'regenerateKey',
    tag: 'keys',
    summary: 'Replace the key with a new one (the old stops working); the answer holds the new key, shown this once',
    response: createdKeySchema,
    async handle({ params, deps, admin }) {
      const existing = found(await deps.keys.get(params['id']!), 'key');
      refuseConfigOwned(existing, 'key');
      const plaintext = generateKey(deps.config.security.keyPrefix);
      const updated = found(await deps.keys.update(existing.id, { plaintext, source: 'admin' }), 'key');
      deps.log.info('key regenerated', { keyId: existing.id, by: admin });
      return { key: keyView(updated), plaintext };
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/keys/:id',
    id: 'deleteKey',
    tag: 'keys',
    summary: 'Delete a key (409 while the config file declares it)',
    response: okSchema,
    async handle({ params, deps, admin }) {
      const existing = found(await deps.keys.get(params['id']!), 'key');
      if (deps.config.keys.some((declared) => declared.name === existing.name && existing.source === 'config')) {
        refuseConfigOwned(existing, 'key');
      }
      if (!(await deps.keys.revoke(params['id']!))) throw new AdminApiError('not_found', 'key not found');
      deps.log.info('key deleted', { keyId: params['id'], by: admin });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/keys/:id/usage',
    id: 'getKeyUsage',
    tag: 'keys',
    summary: "A key's usage over a range",
    query: usageSummaryQuerySchema.omit({ keyId: true }),
    response: usageSummarySchema,
    async handle({ params, query, deps }) {
      found(await deps.keys.get(params['id']!), 'key');
      return summaryFor(deps, { ...query, keyId: params['id']! });
    },
  }),
];
