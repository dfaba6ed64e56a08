/**
 * The key holder's own endpoints, authenticated by the key itself (never by a key id):
 *   GET  /api/v1/key-info               identity, limits and what remains
 *   GET  /api/v1/usage                  usage and cost (today, month, lifetime, last days, by model)
 *   POST /apiStats/api/user-stats       both, key in the body (`apiKey`) or the usual headers
 *   POST /apiStats/api/user-model-stats usage by model (`period`: `daily` | `monthly` | `all`)
 * Each answer is about the caller's key only.
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { extractClientKey } from '../auth/extract-client-key.js';
import type { KeyRecord, Store } from '../store/types.js';
import type { TimeBuckets } from '../usage/time-buckets.js';
import { keyIdentity, keyLimitUse, keyModelUsage, keyUsage } from './key-usage-report.js';
import { systemClock, type Clock } from '../time/clock.js';

/** What the endpoints need. */
export interface SelfServiceDeps {
  store: Store;
  buckets: TimeBuckets;
  keys: { authenticate(presented: string): Promise<KeyRecord | undefined> };
  /** What "now" is for the reports (today, this month, key expiry); default the system clock. */
  clock?: Clock;
}

function refuse(ctx: Context, status: number, type: string, message: string): void {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.body = { error: { type, message } };
}

async function callerKey(ctx: Context, deps: SelfServiceDeps, body?: unknown): Promise<KeyRecord | undefined> {
  const fromBody = (body as { apiKey?: unknown } | undefined)?.apiKey;
  const presented =
    typeof fromBody === 'string' && fromBody
      ? fromBody
      : extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring)).key;
  if (!presented) {
    refuse(ctx, 401, 'missing_api_key', 'Send your own key (x-api-key, Authorization: Bearer, or apiKey in the body).');
    return undefined;
  }
  const key = await deps.keys.authenticate(presented);
  if (!key) refuse(ctx, 401, 'invalid_api_key', 'The API key is not valid.');
  return key;
}

async function readJson(ctx: Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16_384) return undefined;
    chunks.push(chunk);
  }
  try {
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  } catch {
    return undefined;
  }
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

  router.get('/api/v1/key-info', async (ctx) => {
    const key = await callerKey(ctx, deps);
    if (key) answer(ctx, await keyInfo(key));
  });
  router.get('/api/v1/usage', async (ctx) => {
    const key = await callerKey(ctx, deps);
    if (key) answer(ctx, { keyId: key.id, ...(await usage(key)) });
  });
  router.post('/apiStats/api/user-stats', async (ctx) => {
    const key = await callerKey(ctx, deps, await readJson(ctx));
    if (key) answer(ctx, { success: true, data: { ...(await keyInfo(key)), usage: await usage(key) } });
  });
  router.post('/apiStats/api/user-model-stats', async (ctx) => {
    const body = await readJson(ctx);
    const key = await callerKey(ctx, deps, body);
    if (!key) return;
    const requested = (body as { period?: unknown } | undefined)?.period;
    const labels = deps.buckets.labels(now());
    const period = requested === 'daily' ? labels.day : requested === 'all' ? 'all' : labels.month;
    answer(ctx, { success: true, period, data: await keyModelUsage(deps.store, key, period) });
  });
}
