/**
 * Account groups: named sets of accounts (an account lists its groups), used by keys
 * and policies to pin traffic to some accounts.
 */
import { z } from 'zod';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { okSchema } from './common-schemas.js';
import { groupIdSchema, groupSchema, putGroupSchema } from './key-schemas.js';
import type { AdminDeps } from './admin-deps.js';
import type { GroupRecord } from '../store/types.js';

async function withMembers(deps: AdminDeps, groups: GroupRecord[]) {
  const accounts = await deps.accounts.listRecords();
  return groups.map((group) => ({ ...group, accountIds: accounts.filter((a) => a.groups.includes(group.id)).map((a) => a.id) }));
}

/** Group routes. */
export const groupRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/groups',
    id: 'listGroups',
    tag: 'groups',
    summary: 'Every group with its member accounts',
    response: z.array(groupSchema),
    async handle({ deps }) {
      return withMembers(deps, await deps.store.groups.list());
    },
  }),
  defineRoute({
    method: 'put',
    path: '/groups/:id',
    id: 'putGroup',
    tag: 'groups',
    summary: 'Create or change a group (members are set on the accounts)',
    body: putGroupSchema,
    response: groupSchema,
    async handle({ params, body, deps }) {
      const id = params['id']!;
      const parsed = groupIdSchema.safeParse(id);
      if (!parsed.success)
        throw new AdminApiError('invalid_request', 'Invalid group id.', [`id: ${parsed.error.issues[0]?.message}`]);
      const existing = await deps.store.groups.get(id);
      const at = new Date().toISOString();
      const record: GroupRecord = { id, name: body.name, source: 'admin', createdAt: existing?.createdAt ?? at, updatedAt: at };
      if (body.description !== undefined) record.description = body.description;
      if (body.modelAliases !== undefined && Object.keys(body.modelAliases).length > 0) record.modelAliases = body.modelAliases;
      await deps.store.groups.put(record);
      return (await withMembers(deps, [record]))[0]!;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/groups/:id',
    id: 'deleteGroup',
    tag: 'groups',
    summary: 'Delete a group (accounts keep their other groups)',
    response: okSchema,
    async handle({ params, deps }) {
      found(await deps.store.groups.get(params['id']!), 'group');
      await deps.store.groups.delete(params['id']!);
      return { ok: true };
    },
  }),
];
