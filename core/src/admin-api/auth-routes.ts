/**
 * Admin sign-in, sessions and admin accounts: login (throttled per IP and per user),
 * logout, the current session, password change, more than one admin, and rotation of
 * the session signing secret.
 */
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../auth/password-hash.js';
import { MIN_ADMIN_PASSWORD_LENGTH } from '../auth/admin-bootstrap.js';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { isoDate, okSchema } from './common-schemas.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-cookie.js';

/** A hash no password matches, checked for unknown usernames so timing does not reveal them. */
const DUMMY_HASH = hashPassword('switchyard-no-such-admin');

const sessionSchema = z.object({ username: z.string(), expiresAt: isoDate });
const password = z.string().min(MIN_ADMIN_PASSWORD_LENGTH, `at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`).max(1024);
const adminSchema = z.object({ username: z.string(), createdAt: isoDate, updatedAt: isoDate });

/** Sign-in, session and admin routes. */
export const authRoutes: AdminRoute[] = [
  defineRoute({
    method: 'post',
    path: '/login',
    id: 'login',
    tag: 'auth',
    summary: 'Sign in; sets an httpOnly session cookie and also returns the token for API clients',
    public: true,
    body: z.strictObject({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024) }),
    response: sessionSchema.extend({ token: z.string() }),
    async handle({ body, ctx, deps }) {
      const ip = ctx.ip || 'unknown';
      // Counted before the password is checked (the count is the check), so parallel guesses cannot slip past the limit.
      const verdict = await deps.loginThrottle.attempt(body.username, ip);
      if (!verdict.allowed) {
        throw new AdminApiError('too_many_requests', 'Too many failed sign-ins; try again later.', [], verdict.retryAfterMs);
      }
      const admin = await deps.store.admins.get(body.username);
      const ok = await verifyPassword(body.password, admin?.passwordHash ?? (await DUMMY_HASH));
      if (!admin || !ok) {
        deps.log.warn('admin sign-in failed', { username: body.username, ip });
        throw new AdminApiError('unauthorized', 'Wrong username or password.');
      }
      await deps.loginThrottle.succeeded(body.username, ip);
      const session = await deps.adminSessions.issue(admin.username);
      setSessionCookie(ctx, session.token, deps.adminSessions.ttlMs);
      deps.log.info('admin signed in', { username: admin.username, ip });
      return { username: session.username, expiresAt: new Date(session.expiresAt).toISOString(), token: session.token };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/logout',
    id: 'logout',
    tag: 'auth',
    summary: 'Sign out: the session token is revoked on every instance, and the cookie cleared',
    response: okSchema,
    async handle({ ctx, deps }) {
      const token = sessionToken(ctx);
      if (token) await deps.adminSessions.revoke(token);
      clearSessionCookie(ctx);
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/session',
    id: 'getSession',
    tag: 'auth',
    summary: 'The signed-in admin',
    response: sessionSchema,
    async handle({ ctx, admin }) {
      return { username: admin, expiresAt: new Date(ctx.state['adminSessionExpiresAt'] as number).toISOString() };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/password',
    id: 'changePassword',
    tag: 'auth',
    summary: "Change the signed-in admin's password (ends that admin's other sessions)",
    body: z.strictObject({ currentPassword: z.string().min(1), newPassword: password }),
    response: sessionSchema,
    async handle({ body, admin, ctx, deps }) {
      const record = found(await deps.store.admins.get(admin), 'admin');
      if (!(await verifyPassword(body.currentPassword, record.passwordHash))) {
        throw new AdminApiError('invalid_request', 'The current password is wrong.', ['currentPassword: wrong password']);
      }
      await deps.store.admins.put({
        ...record,
        passwordHash: await hashPassword(body.newPassword),
        updatedAt: new Date().toISOString(),
      });
      const session = await deps.adminSessions.issue(admin);
      setSessionCookie(ctx, session.token, deps.adminSessions.ttlMs);
      deps.log.info('admin password changed', { username: admin });
      return { username: admin, expiresAt: new Date(session.expiresAt).toISOString() };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/admins',
    id: 'listAdmins',
    tag: 'auth',
    summary: 'Every admin (no password hashes)',
    response: z.array(adminSchema),
    async handle({ deps }) {
      return deps.store.admins.list();
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admins',
    id: 'createAdmin',
    tag: 'auth',
    summary: 'Add an admin',
    status: 201,
    body: z.strictObject({
      username: z
        .string()
        .trim()
        .min(1)
        .max(64)
        .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ -'),
      password,
    }),
    response: adminSchema,
    async handle({ body, deps, admin }) {
      if (await deps.store.admins.get(body.username))
        throw new AdminApiError('conflict', `An admin named ${body.username} exists.`);
      const at = new Date().toISOString();
      const record = { username: body.username, passwordHash: await hashPassword(body.password), createdAt: at, updatedAt: at };
      await deps.store.admins.put(record);
      deps.log.info('admin created', { username: body.username, by: admin });
      return record;
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/admins/:username',
    id: 'deleteAdmin',
    tag: 'auth',
    summary: 'Remove an admin (not yourself, not the last one); their sessions end',
    response: okSchema,
    async handle({ params, deps, admin }) {
      const username = params['username']!;
      if (username === admin) throw new AdminApiError('invalid_request', 'You cannot remove yourself.');
      found(await deps.store.admins.get(username), 'admin');
      if ((await deps.store.admins.list()).length <= 1)
        throw new AdminApiError('invalid_request', 'The last admin cannot be removed.');
      await deps.store.admins.delete(username);
      deps.log.info('admin deleted', { username, by: admin });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/sessions/rotate',
    id: 'rotateSessions',
    tag: 'auth',
    summary: 'Start a new session signing secret; with signOutEveryone, every existing session ends',
    body: z.strictObject({ signOutEveryone: z.boolean().default(false) }),
    response: okSchema,
    async handle({ body, deps, ctx, admin }) {
      await deps.adminSessions.rotate(body.signOutEveryone);
      if (body.signOutEveryone) clearSessionCookie(ctx);
      deps.log.info('admin session secret rotated', { by: admin, signOutEveryone: body.signOutEveryone });
      return { ok: true };
    },
  }),
];
