/**
 * The key holder's own endpoints in Switchyard's shape, authenticated by the key itself
 * (never by a key id); the public key-usage page reads them:
 *   GET /self-service/v1/key-info  identity, limits and what remains
 *   GET /self-service/v1/usage     usage and cost (today, month, lifetime, last days, by model)
 * Each answer is about the caller's key only. The reference relay's paths
 * (`/api/v1/key-info`, `/apiStats/api/...`) answer in its shape: reference-stats-routes.ts.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { extractClientKey } from '../auth/extract-client-key.js';
import type { KeyRecord, Store } from '../store/types.js';
import type { TimeBuckets } from '../usage/time-buckets.js';
import { keyIdentity, keyLimitUse, keyModelUsage, keyUsage } from './key-usage-report.js';
import { systemClock, type Clock } from '../time/clock.js';
import type { PriceBook } from '../usage/price-book.js';
import type { AccountTypeDefinition } from '@switchyard/plugin-api';

/** What the endpoints need. */
export interface SelfServiceDeps {
  store: Store;
  buckets: TimeBuckets;
  keys: { authenticate(presented: string): Promise<KeyRecord | undefined> };
  /** What "now" is for the reports (today, this month, key expiry); default the system clock. */
  clock?: Clock;
  /** The loaded account types, for the reference's bound-account fields (their `crs` import declarations). */
  accountTypes?: () => readonly { definition: AccountTypeDefinition }[];
  /** List prices, to split a model's cost by kind of token in the reference's model statistics. */
  priceBook?: Pick<PriceBook, 'priceFor'>;
}

/** The paths of {@link registerSelfService}. */
export const SELF_SERVICE_PATHS = { keyInfo: '/self-service/v1/key-info', usage: '/self-service/v1/usage' } as const;

function refuse(ctx: Context, status: number, type: string, message: string): void {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.body = { error: { type, message } };
}

async function callerKey(ctx: Context, deps: SelfServiceDeps): Promise<KeyRecord | undefined> {
  const presented = extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring)).key;
  if (!presented) {
    refuse(ctx, 401, 'missing_api_key', 'Send your own key (x-api-key or Authorization: Bearer).');
    return undefined;
  }
  const key = await deps.keys.authenticate(presented);
  if (!key) refuse(ctx, 401, 'invalid_api_key', 'The API key is not valid.');
  return key;
}

/** Registers the self-service endpoints on `router`. */
export function registerSelfService(router: Router, deps: SelfServiceDeps): void {
  const now = () => (deps.clock ?? systemClock).now();
  const keyInfo = async (key: KeyRecord) => ({ key: keyIdentity(key, now()), ...(await keyLimitUse(deps.store, key, now())) });
  const usage = async (key: KeyRecord) => {
    const labels = deps.buckets.labels(now());
    return {
      ...(await keyUsage(deps.store, deps.buckets, key, undefined, now())),
      models: await keyModelUsage(deps.store, key, labels.month),
    };
  };
  const answer = (ctx: Context, body: unknown) => {
    ctx.set('cache-control', 'no-store');
    ctx.body = body;
  };

  router.get(SELF_SERVICE_PATHS.keyInfo, async (ctx) => {
    const key = await callerKey(ctx, deps);
    if (key) answer(ctx, await keyInfo(key));
  });
  router.get(SELF_SERVICE_PATHS.usage, async (ctx) => {
    const key = await callerKey(ctx, deps);
    if (key) answer(ctx, { keyId: key.id, ...(await usage(key)) });
  });
}
