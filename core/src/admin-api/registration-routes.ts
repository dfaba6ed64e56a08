/**
 * Becoming a user without an admin at hand: with an invite link (any time), or by
 * self-registration when the portal policy allows it. Public routes, throttled like the
 * sign-in (per username and per client IP); a registration signs the new user in.
 */
import { z } from 'zod';
import { AdminApiError } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { isoDate } from './common-schemas.js';
import { setSessionCookie } from './session-cookie.js';
import { registerSchema, roleSchema } from './user-schemas.js';

/** Registration routes (public). */
export const registrationRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/registration',
    id: 'getRegistration',
    tag: 'auth',
    summary: 'Whether self-registration is open (the sign-in page offers it then)',
    public: true,
    response: z.object({ selfRegistration: z.boolean() }),
    async handle({ deps }) {
      return { selfRegistration: (await deps.users.policy()).selfRegistration };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/register',
    id: 'register',
    tag: 'auth',
    summary: 'Create your own local user, with an invite or when self-registration is open; signs you in',
    public: true,
    status: 201,
    body: registerSchema,
    response: z.object({ username: z.string(), role: roleSchema, expiresAt: isoDate, token: z.string() }),
    async handle({ body, ctx, deps }) {
      const ip = ctx.ip || 'unknown';
      const verdict = await deps.loginThrottle.attempt(body.username, ip);
      if (!verdict.allowed) {
        throw new AdminApiError('too_many_requests', 'Too many attempts; try again later.', [], verdict.retryAfterMs);
      }
      if (await deps.users.get(body.username)) throw new AdminApiError('conflict', 'That username is taken.');
      let role: 'admin' | 'user' = 'user';
      let invitedBy: string | undefined;
      if (body.invite !== undefined) {
        const invite = await deps.invites.redeem(body.invite);
        if (!invite) throw new AdminApiError('forbidden', 'This invite link is not valid (used, expired or unknown).');
        role = invite.role;
        invitedBy = invite.createdBy;
      } else if (!(await deps.users.policy()).selfRegistration) {
        throw new AdminApiError('forbidden', 'Registration is closed; ask an admin for an invite.');
      }
      const user = await deps.users.createLocal({ username: body.username, password: body.password, role });
      await deps.loginThrottle.succeeded(body.username, ip);
      deps.log.info('user registered', { username: user.username, role, ...(invitedBy ? { invitedBy } : {}), ip });
      const session = await deps.adminSessions.issue(user.username);
      setSessionCookie(ctx, session.token, deps.adminSessions.ttlMs);
      return {
        username: user.username,
        role: session.role,
        expiresAt: new Date(session.expiresAt).toISOString(),
        token: session.token,
      };
    },
  }),
];
