/**
 * `POST /api/v1/redeem`: a key holder redeems a quota card onto their own key, sending
 * the key the usual way (x-api-key, Authorization: Bearer) and `{"code": "SYC-…"}`.
 *
 * Errors are gateway errors, so the client gets them in the shape of the protocol
 * mounted at the path (404 unknown code; 400 used, revoked, expired or not applicable to
 * this key; 429 throttled, with Retry-After; 401 for a missing, unknown or disabled key).
 * The `x-switchyard-card-status` header names the reason (`unknown`, `redeemed`,
 * `revoked`, `expired`, `not-applicable`, `throttled`) for pages that translate it.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { GatewayError, type GatewayErrorCode } from '@switchyard/plugin-api';
import { extractClientKey } from '../auth/extract-client-key.js';
import type { KeyRecord } from '../store/types.js';
import { keyIdentity } from '../self-service/key-usage-report.js';
import type { Clock } from '../time/clock.js';
import type { CardService, RedeemFailure } from './card-service.js';

/** The path of the redeem endpoint. */
export const REDEEM_PATH = '/api/v1/redeem';

const BODY_LIMIT = 4096;

/** What the route needs. */
export interface RedeemRouteDeps {
  cards: Pick<CardService, 'redeem'>;
  keys: { authenticate(presented: string): Promise<KeyRecord | undefined> };
  clock: Clock;
}

const FAILURE_CODES: Record<RedeemFailure, GatewayErrorCode> = {
  unknown: 'not_found',
  redeemed: 'invalid_request',
  revoked: 'invalid_request',
  expired: 'invalid_request',
  'not-applicable': 'invalid_request',
  throttled: 'rate_limited',
};

async function readCode(ctx: Context): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new GatewayError('payload_too_large', 'The request body is too large.');
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new GatewayError('invalid_json', 'Send {"code": "<card code>"} as JSON.');
  }
  const code = (body as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.trim() === '') {
    throw new GatewayError('invalid_request', 'Send {"code": "<card code>"}: the card code is missing.');
  }
  return code;
}

/** Registers `POST /api/v1/redeem` on `router`. */
export function registerRedeemRoute(router: Router, deps: RedeemRouteDeps): void {
  router.post(REDEEM_PATH, async (ctx) => {
    ctx.set('cache-control', 'no-store');
    const presented = extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring)).key;
    if (!presented) {
      throw new GatewayError('missing_api_key', 'Send your own key in x-api-key or as Authorization: Bearer.');
    }
    const key = await deps.keys.authenticate(presented);
    if (!key) throw new GatewayError('invalid_api_key', 'The API key is not valid.');
    if (!key.enabled) throw new GatewayError('key_disabled', 'This API key is disabled.');
    const code = await readCode(ctx);
    const outcome = await deps.cards.redeem(code, key, ctx.ip || 'unknown');
    if (!outcome.ok) {
      ctx.set('x-switchyard-card-status', outcome.failure);
      throw new GatewayError(FAILURE_CODES[outcome.failure], outcome.message, {
        ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
        details: { card: outcome.failure },
      });
    }
    const { redemption } = outcome;
    ctx.body = {
      redeemed: {
        card: redemption.cardHint,
        ...(redemption.creditUsd === undefined ? {} : { creditUsd: redemption.creditUsd }),
        ...(redemption.days === undefined ? {} : { days: redemption.days }),
        at: redemption.at,
      },
      before: redemption.before,
      after: redemption.after,
      key: keyIdentity(outcome.key, deps.clock.now()),
    };
  });
}
