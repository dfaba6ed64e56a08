/**
 * Sign-in, sessions and admin accounts: login of admins and users alike (throttled per IP
 * and per user; local passwords, or the LDAP directory), logout, the current session,
 * password change, more than one admin, and rotation of the session signing secret.
 */
import { z } from 'zod';
import { verifyPassword } from '../auth/password-hash.js';
import { SignInError } from '../auth/sign-in.js';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { isoDate, okSchema } from './common-schemas.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session-cookie.js';
import { passwordSchema, roleSchema, usernameSchema } from './user-schemas.js';

const sessionSchema = z.object({ username: z.string(), role: roleSchema, expiresAt: isoDate });
const password = passwordSchema;
const adminSchema = z.object({ username: z.string(), createdAt: isoDate, updatedAt: isoDate });

/** The answer to a refused sign-in. */
function signInRefused(error: SignInError): AdminApiError {
  if (error.reason === 'directory_unavailable') {
    return new AdminApiError('service_unavailable', 'Sign-in is unavailable: the directory cannot be reached. Try again later.');
  }
  if (error.reason === 'disabled' || error.reason === 'not_allowed') return new AdminApiError('forbidden', error.message);
  return new AdminApiError('unauthorized', 'Wrong username or password.');
}

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
      let user;
      try {
        user = await deps.signIn.check(body.username, body.password);
      } catch (error) {
        if (!(error instanceof SignInError)) throw error;
        deps.log.warn('sign-in failed', { username: body.username, ip, reason: error.reason });
        // A directory outage is nobody's wrong guess: it does not count against the username.
        if (error.reason === 'directory_unavailable') await deps.loginThrottle.succeeded(body.username, ip);
        throw signInRefused(error);
      }
      await deps.loginThrottle.succeeded(body.username, ip);
      const session = await deps.adminSessions.issue(user.username);
      setSessionCookie(ctx, session.token, deps.adminSessions.ttlMs);
      deps.log.info('signed in', { username: user.username, role: user.role, source: user.source, ip });
      return {
        username: session.username,
        role: session.role,
        expiresAt: new Date(session.expiresAt).toISOString(),
        token: session.token,
      };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/logout',
    id: 'logout',
    tag: 'auth',
    summary: 'Sign out: the session token is revoked on every instance, and the cookie cleared',
    forUsers: true,
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
    summary: 'The signed-in user (admin or user) and their role',
    forUsers: true,
    response: sessionSchema,
    async handle({ ctx, admin, role }) {
      return { username: admin, role, expiresAt: new Date(ctx.state['adminSessionExpiresAt'] as number).toISOString() };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/password',
    id: 'changePassword',
    tag: 'auth',
    summary: "Change the signed-in user's password (local users; ends their other sessions)",
    forUsers: true,
    body: z.strictObject({ currentPassword: z.string().min(1), newPassword: password }),
    response: sessionSchema,
    async handle({ body, admin, ctx, deps }) {
      const record = found(await deps.store.users.get(admin), 'user');
      if (record.source !== 'local' || !record.passwordHash) {
        throw new AdminApiError('invalid_request', 'You sign in through the directory; change your password there.');
      }
      if (!(await verifyPassword(body.currentPassword, record.passwordHash))) {
        throw new AdminApiError('invalid_request', 'The current password is wrong.', ['currentPassword: wrong password']);
      }
      await deps.users.update(admin, { password: body.newPassword });
      const session = await deps.adminSessions.issue(admin);
      setSessionCookie(ctx, session.token, deps.adminSessions.ttlMs);
      deps.log.info('password changed', { username: admin });
      return { username: admin, role: session.role, expiresAt: new Date(session.expiresAt).toISOString() };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/admins',
    id: 'listAdmins',
    tag: 'auth',
    summary: 'Every user of role admin (no password hashes)',
    response: z.array(adminSchema),
    async handle({ deps }) {
      return (await deps.users.list()).filter((user) => user.role === 'admin');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/admins',
    id: 'createAdmin',
    tag: 'auth',
    summary: 'Add an admin (a local user of role admin)',
    status: 201,
    body: z.strictObject({ username: usernameSchema, password }),
    response: adminSchema,
    async handle({ body, deps, admin }) {
      const record = await deps.users.createLocal({ username: body.username, password: body.password, role: 'admin' });
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
      const record = await deps.users.get(username);
      if (record?.role !== 'admin') throw new AdminApiError('not_found', 'admin not found');
      await deps.users.delete(username);
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
