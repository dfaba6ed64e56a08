/**
 * The admin session cookie: httpOnly, SameSite=Strict, scoped to `/admin`, `Secure`
 * when the request came over HTTPS. Bearer tokens work as well, for scripts.
 */
import type { Context } from 'koa';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'switchyard_admin';

/** Sets the session cookie. */
export function setSessionCookie(ctx: Context, token: string, ttlMs: number): void {
  ctx.cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/admin',
    secure: ctx.secure,
    maxAge: ttlMs,
    overwrite: true,
  });
}

/** Clears the session cookie. */
export function clearSessionCookie(ctx: Context): void {
  ctx.cookies.set(SESSION_COOKIE, '', {
    httpOnly: true,
    sameSite: 'strict',
    path: '/admin',
    secure: ctx.secure,
    maxAge: 0,
    overwrite: true,
  });
}

/** The session token a request carries (bearer header first, then the cookie). */
export function sessionToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return bearer ?? ctx.cookies.get(SESSION_COOKIE) ?? undefined;
}
