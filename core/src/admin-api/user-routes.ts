/**
 * Users, for admins: list, create (local users), change (role, names, key allowance,
 * password), enable and disable (a disabled user's keys stop at once), delete; the
 * portal policy (self-registration, keys per user, the limits template, deletion); and
 * invite links. A user session gets 403 on every one of these.
 */
import { z } from 'zod';
import type { UserRecord } from '../store/types.js';
import { AdminApiError, found } from './admin-api-error.js';
import type { AdminDeps } from './admin-deps.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { okSchema } from './common-schemas.js';
import {
  createInviteSchema,
  createUserSchema,
  inviteSchema,
  portalPolicySchema,
  updateUserSchema,
  userViewSchema,
} from './user-schemas.js';

/** A user without their password hash, with the number of keys they own. */
async function userViews(deps: Pick<AdminDeps, 'keys'>, users: UserRecord[]) {
  const counts = new Map<string, number>();
  for (const key of await deps.keys.list()) if (key.owner) counts.set(key.owner, (counts.get(key.owner) ?? 0) + 1);
  return users.map(({ passwordHash: _hash, suspendedKeys: _suspended, ...user }) => ({
    ...user,
    keyCount: counts.get(user.username) ?? 0,
  }));
}

async function userView(deps: Pick<AdminDeps, 'keys'>, user: UserRecord | undefined) {
  return (await userViews(deps, [found(user, 'user')]))[0]!;
}

/** User management routes (admins only). */
export const userRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/users',
    id: 'listUsers',
    tag: 'users',
    summary: 'Every user, admins included (no password hashes)',
    response: z.array(userViewSchema),
    async handle({ deps }) {
      return userViews(deps, await deps.users.list());
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users',
    id: 'createUser',
    tag: 'users',
    summary: 'Create a local user (role user by default)',
    status: 201,
    body: createUserSchema,
    response: userViewSchema,
    async handle({ body, deps, admin }) {
      const record = await deps.users.createLocal(body);
      deps.log.info('user created', { username: record.username, role: record.role, by: admin });
      return userView(deps, record);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/users/:username',
    id: 'getUser',
    tag: 'users',
    summary: 'One user',
    response: userViewSchema,
    async handle({ params, deps }) {
      return userView(deps, await deps.users.get(params['username']!));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/users/:username',
    id: 'updateUser',
    tag: 'users',
    summary: 'Change a user: role, names, key allowance, password (local users)',
    body: updateUserSchema,
    response: userViewSchema,
    async handle({ params, body, deps, admin }) {
      const username = params['username']!;
      if (username === admin && body.role === 'user') throw new AdminApiError('invalid_request', 'You cannot demote yourself.');
      const updated = await deps.users.update(username, body);
      deps.log.info('user changed', { username, fields: Object.keys(body), by: admin });
      return userView(deps, updated);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users/:username/disable',
    id: 'disableUser',
    tag: 'users',
    summary: 'Disable a user: their sessions end and their keys stop working at once, on every instance',
    response: userViewSchema,
    async handle({ params, deps, admin }) {
      const username = params['username']!;
      if (username === admin) throw new AdminApiError('invalid_request', 'You cannot disable yourself.');
      const updated = await deps.users.setEnabled(username, false);
      deps.log.info('user disabled', { username, by: admin });
      return userView(deps, updated);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/users/:username/enable',
    id: 'enableUser',
    tag: 'users',
    summary: 'Enable a user again, with the keys that were switched off when they were disabled',
    response: userViewSchema,
    async handle({ params, deps, admin }) {
      const updated = await deps.users.setEnabled(params['username']!, true);
      deps.log.info('user enabled', { username: params['username'], by: admin });
      return userView(deps, updated);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/users/:username',
    id: 'deleteUser',
    tag: 'users',
    summary: 'Delete a user (not yourself, not the last admin); their keys are switched off',
    response: okSchema,
    async handle({ params, deps, admin }) {
      const username = params['username']!;
      if (username === admin) throw new AdminApiError('invalid_request', 'You cannot remove yourself.');
      if (!(await deps.users.delete(username))) throw new AdminApiError('not_found', 'user not found');
      deps.log.info('user deleted', { username, by: admin });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/user-policy',
    id: 'getUserPolicy',
    tag: 'users',
    summary: 'The user portal policy: self-registration, keys per user, the limits template, key deletion',
    response: portalPolicySchema,
    async handle({ deps }) {
      return deps.users.policy();
    },
  }),
  defineRoute({
    method: 'put',
    path: '/user-policy',
    id: 'putUserPolicy',
    tag: 'users',
    summary: 'Change the user portal policy (applies on every instance)',
    body: portalPolicySchema,
    response: portalPolicySchema,
    async handle({ body, deps, admin }) {
      const policy = await deps.users.setPolicy(body);
      deps.log.info('user portal policy changed', { by: admin });
      return policy;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/invites',
    id: 'createInvite',
    tag: 'users',
    summary: 'Make an invite link (used once); the answer holds its token, shown this once',
    status: 201,
    body: createInviteSchema,
    response: inviteSchema,
    async handle({ body, deps, admin }) {
      const invite = await deps.invites.issue(body.role, body.validHours * 3_600_000, admin);
      deps.log.info('invite created', { role: invite.role, by: admin });
      return {
        token: invite.token,
        path: `/admin/register?invite=${encodeURIComponent(invite.token)}`,
        role: invite.role,
        expiresAt: new Date(invite.expiresAt).toISOString(),
      };
    },
  }),
];
