/**
 * The reference relay's key-holder statistics endpoints, at its paths and in its JSON
 * shapes (reference-stats.ts), so scripts and dashboards written against it keep working:
 *   POST /apiStats/api/get-key-id        `{ apiKey }` -> the key's id
 *   POST /apiStats/api/user-stats        `{ apiKey }` -> identity, usage, limits, restrictions
 *   POST /apiStats/api/user-model-stats  `{ apiKey, period }` -> usage by model
 *   GET  /api/v1/key-info, /api/v1/usage key in the usual headers -> usage statistics
 *   GET  /apiStats                       -> the key-usage page (when the admin is served)
 * Errors come in its shape too: `{ error, message }` with its statuses.
 *
 * One deliberate difference: the reference also answers `apiId` (the key's id) without
 * the key; Switchyard answers only to the key itself, so an id alone is refused (401).
 */
import type { Context } from 'koa';
import type Router from '@koa/router';
import { extractClientKey } from '../auth/extract-client-key.js';
import { keyStatus } from '../keys/key-status.js';
import type { KeyRecord } from '../store/types.js';
import { systemClock } from '../time/clock.js';
import type { SelfServiceDeps } from './self-service-routes.js';
import {
  readKeyTotals,
  referenceModelStats,
  referenceUsageStats,
  referenceUserStats,
  referenceWindow,
  referenceKeyId,
  limitsOf,
} from './reference-stats.js';

/** Largest JSON body the POST endpoints read. */
const BODY_LIMIT = 16_384;

/** The reference's bounds on a presented key's length. */
const KEY_MIN = 10;
const KEY_MAX = 512;

type ReadBody = { ok: true; body: Record<string, unknown> } | { ok: false };

function reply(ctx: Context, status: number, body: unknown): void {
  ctx.status = status;
  ctx.set('cache-control', 'no-store');
  ctx.body = body;
}

const refuse = (ctx: Context, status: number, error: string, message: string) => reply(ctx, status, { error, message });

/** The JSON object body; answers 400 (and `ok: false`) when it is too large or not a JSON object. */
async function readBody(ctx: Context): Promise<ReadBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) {
      refuse(ctx, 413, 'Request too large', `The request body is larger than ${BODY_LIMIT} bytes`);
      return { ok: false };
    }
    chunks.push(chunk);
  }
  if (chunks.length === 0) return { ok: true, body: {} };
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { ok: true, body: parsed as Record<string, unknown> };
    }
  } catch {
    // Answered below.
  }
  refuse(ctx, 400, 'Invalid request', 'The request body must be a JSON object');
  return { ok: false };
}

/** Registers the reference-shaped endpoints on `router`; `keyUsagePage` is where `GET /apiStats` sends browsers. */
export function registerReferenceStats(router: Router, deps: SelfServiceDeps, keyUsagePage?: string): void {
  const now = () => (deps.clock ?? systemClock).now();

  /** The key if it is valid and usable, else the reference's 401 `Invalid API key` with its reason. */
  const validKey = async (ctx: Context, presented: string): Promise<KeyRecord | undefined> => {
    const key = await deps.keys.authenticate(presented);
    const status = key ? keyStatus(key, new Date(now())) : undefined;
    if (key && status === 'active') return key;
    const reason = !key ? 'API key not found' : status === 'disabled' ? 'API key is disabled' : 'API key has expired';
    refuse(ctx, 401, 'Invalid API key', reason);
    return undefined;
  };

  /** The key from the body's `apiKey` (or, as a convenience, the usual headers), with the reference's refusals. */
  const bodyKey = async (ctx: Context, body: Record<string, unknown>, checkFormat: boolean): Promise<KeyRecord | undefined> => {
    const presented = body.apiKey ?? extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring)).key;
    if (presented === undefined || presented === null || presented === '') {
      if (body.apiId !== undefined) {
        refuse(
          ctx,
          401,
          'API key required',
          'Switchyard answers only to the key itself: send apiKey (an API ID alone is not accepted)',
        );
      } else {
        refuse(ctx, 400, 'API Key or ID is required', 'Please provide your API Key or API ID');
      }
      return undefined;
    }
    if (typeof presented !== 'string' || presented.length < KEY_MIN || presented.length > KEY_MAX) {
      if (checkFormat) refuse(ctx, 400, 'Invalid API key format', 'API key format is invalid');
      else refuse(ctx, 401, 'Invalid API key', 'Invalid API key format');
      return undefined;
    }
    return validKey(ctx, presented);
  };

  /** The key from the request headers, with the reference's authentication refusals. */
  const headerKey = async (ctx: Context): Promise<KeyRecord | undefined> => {
    const presented = extractClientKey(ctx.req.headers, new URLSearchParams(ctx.querystring)).key?.trim();
    if (!presented) {
      refuse(ctx, 401, 'Missing API key', 'Please provide an API key in the x-api-key, x-goog-api-key, or Authorization header');
      return undefined;
    }
    if (presented.length < KEY_MIN || presented.length > KEY_MAX) {
      refuse(ctx, 401, 'Invalid API key format', 'API key format is invalid');
      return undefined;
    }
    return validKey(ctx, presented);
  };

  const usageStats = async (key: KeyRecord) =>
    referenceUsageStats(key, await readKeyTotals(deps.store, deps.buckets, key, now()), now());

  router.post('/apiStats/api/get-key-id', async (ctx) => {
    const read = await readBody(ctx);
    if (!read.ok) return;
    const presented = read.body.apiKey;
    if (presented === undefined || presented === null || presented === '') {
      return refuse(ctx, 400, 'API Key is required', 'Please provide your API Key');
    }
    if (typeof presented !== 'string' || presented.length < KEY_MIN || presented.length > KEY_MAX) {
      return refuse(ctx, 400, 'Invalid API key format', 'API key format is invalid');
    }
    const key = await validKey(ctx, presented);
    if (key) reply(ctx, 200, { success: true, data: { id: referenceKeyId(key) } });
  });

  router.post('/apiStats/api/user-stats', async (ctx) => {
    const read = await readBody(ctx);
    if (!read.ok) return;
    const key = await bodyKey(ctx, read.body, true);
    if (!key) return;
    const totals = await readKeyTotals(deps.store, deps.buckets, key, now());
    reply(ctx, 200, {
      success: true,
      data: await referenceUserStats(deps.store, deps.accountTypes?.() ?? [], key, totals, now()),
    });
  });

  router.post('/apiStats/api/user-model-stats', async (ctx) => {
    const read = await readBody(ctx);
    if (!read.ok) return;
    const key = await bodyKey(ctx, read.body, false);
    if (!key) return;
    const period = typeof read.body.period === 'string' ? read.body.period : 'monthly';
    const labels = deps.buckets.labels(now());
    // As the reference: `daily` is today, `alltime` the key's life, anything else this month.
    const bucket = period === 'daily' ? labels.day : period === 'alltime' ? 'all' : labels.month;
    const prefix = `key-model:${key.id}:`;
    const scopes = (await deps.store.usageAggregates.scopes(bucket, prefix)).slice(0, 500);
    const data: Record<string, unknown>[] = [];
    for (const scope of scopes) {
      const totals = (await deps.store.usageAggregates.get(scope, [bucket])).get(bucket);
      if (!totals) continue;
      const model = scope.slice(prefix.length);
      data.push(referenceModelStats(model, totals, deps.priceBook?.priceFor(model)));
    }
    data.sort((a, b) => (b.allTokens as number) - (a.allTokens as number));
    reply(ctx, 200, { success: true, data, period });
  });

  router.get('/api/v1/key-info', async (ctx) => {
    const key = await headerKey(ctx);
    if (!key) return;
    reply(ctx, 200, {
      keyInfo: {
        id: referenceKeyId(key),
        name: key.name,
        tokenLimit: referenceWindow(limitsOf(key)).tokens,
        usage: await usageStats(key),
      },
      timestamp: new Date(now()).toISOString(),
    });
  });

  router.get('/api/v1/usage', async (ctx) => {
    const key = await headerKey(ctx);
    if (!key) return;
    reply(ctx, 200, {
      usage: await usageStats(key),
      limits: { tokens: referenceWindow(limitsOf(key)).tokens, requests: 0 },
      timestamp: new Date(now()).toISOString(),
    });
  });

  if (keyUsagePage !== undefined) {
    router.get('/apiStats', (ctx) => redirectKeepingQuery(ctx, keyUsagePage));
  }
}

/** Redirects to `target` with the request's query string (302: the page may move again). */
export function redirectKeepingQuery(ctx: Context, target: string): void {
  ctx.redirect(ctx.querystring ? `${target}?${ctx.querystring}` : target);
  ctx.status = 302;
}
