/**
 * The admin API's defence against cross-site request forgery. The session cookie is
 * SameSite=Strict, which keeps other sites out but not other origins of the same site (a
 * page on another port, or on a sibling subdomain, can post a form with the cookie). So a
 * state-changing request (any method but GET, HEAD and OPTIONS) is carried out only when:
 *
 * - it shows intent: a JSON body, or a header a form or a CORS-simple request cannot carry
 *   without a preflight this gateway never grants (`X-Requested-With`, which the web
 *   admin sends, or `Authorization`, which scripts send with their bearer token); and
 * - it comes from the admin itself: `Sec-Fetch-Site`, when the browser sends it, is
 *   `same-origin` (or `none`, a user's own action). Browsers set it and pages cannot,
 *   so it is the browser's own word and settles the question, even behind a proxy that
 *   does not forward the scheme or host. A browser too old to send it is judged by
 *   `Origin`, when present: the request's own origin (scheme and host as the trusted
 *   proxy forwarded them) or `admin.publicUrl`'s.
 *
 * Requests without `Origin` and `Sec-Fetch-Site` (scripts, curl) only need the first.
 */
import type { Context } from 'koa';
import { AdminApiError } from './admin-api-error.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_ORIGIN_SITES = new Set(['same-origin', 'none']);

/** The header the web admin sends on every request to show intent; any value. */
export const ADMIN_INTENT_HEADER = 'x-requested-with';

/** The origin of a URL (`https://gw.example.com`), or undefined when it is not one. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

function showsIntent(ctx: Context): boolean {
  const mediaType = ctx.get('content-type').split(';', 1)[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || ctx.get(ADMIN_INTENT_HEADER) !== '' || ctx.get('authorization') !== '';
}

function refuse(message: string): never {
  throw new AdminApiError('forbidden', `Cross-site admin request refused: ${message}`);
}

/**
 * A check to run on every admin API request before it changes anything; throws
 * `forbidden` when the request does not come from the admin itself.
 *
 * @param publicUrl `admin.publicUrl`, an origin accepted besides the request's own.
 */
export function adminRequestIntentCheck(publicUrl: string | undefined): (ctx: Context) => void {
  const publicOrigin = publicUrl === undefined ? undefined : originOf(publicUrl);
  return (ctx) => {
    if (SAFE_METHODS.has(ctx.method)) return;
    const site = ctx.get('sec-fetch-site').toLowerCase();
    if (site !== '' && !SAME_ORIGIN_SITES.has(site)) refuse(`it came from another origin (Sec-Fetch-Site: ${site}).`);
    const origin = ctx.get('origin');
    if (site === '' && origin !== '') {
      const presented = originOf(origin);
      const own = originOf(`${ctx.protocol}://${ctx.host}`);
      if (presented === undefined || (presented !== own && presented !== publicOrigin)) {
        refuse(
          `Origin ${origin.slice(0, 200)} is not this admin's origin (${own ?? 'unknown'}). ` +
            'Behind a reverse proxy, set server.trustProxy and forward Host and X-Forwarded-Proto, or set admin.publicUrl.',
        );
      }
    }
    if (!showsIntent(ctx)) refuse(`send the body as application/json, or the ${ADMIN_INTENT_HEADER} header.`);
  };
}
