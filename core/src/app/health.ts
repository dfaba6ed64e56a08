/**
 * `GET /health`: 200 whenever the process can serve (even with no account yet), with
 * store reachability, loaded plugins and accounts by state; 503 only when the store
 * does not answer, within {@link HEALTH_STORE_TIMEOUT_MS} (a load balancer's probe must
 * get an answer even when the store hangs).
 */
import type { Context } from 'koa';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { AccountResolver } from '../relay/resolved-account.js';
import { accountStates } from '../metrics/account-gauges.js';

/** Longest the store check may take before `/health` answers 503 anyway. */
export const HEALTH_STORE_TIMEOUT_MS = 1500;

export interface HealthDeps {
  store: Store;
  registry: PluginRegistry;
  accounts: AccountResolver;
  version: string;
  startedAt: number;
  activeStreams(): number;
  /** Requests being answered (probes and scrapes left out), as the `active requests` gauge counts them. */
  activeRequests(): number;
}

export async function healthHandler(ctx: Context, deps: HealthDeps): Promise<void> {
  const started = Date.now();
  let storeOk = true;
  let storeError: string | undefined;
  try {
    await withinDeadline(deps.store.ping(), HEALTH_STORE_TIMEOUT_MS);
  } catch (error) {
    storeOk = false;
    storeError = error instanceof Error ? error.message : 'unreachable';
  }
  const storeLatencyMs = Date.now() - started;
  let accounts: Record<string, number> | undefined;
  if (storeOk) {
    try {
      const left = Math.max(1, HEALTH_STORE_TIMEOUT_MS - (Date.now() - started));
      accounts = await withinDeadline(
        accountStates({ store: deps.store, registry: deps.registry, listAccounts: () => deps.accounts.listRecords() }),
        left,
      );
    } catch {
      accounts = undefined;
    }
  }
  ctx.status = storeOk ? 200 : 503;
  ctx.set('cache-control', 'no-store');
  ctx.body = {
    status: storeOk ? 'ok' : 'degraded',
    version: deps.version,
    uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
    store: { kind: deps.store.kind, ok: storeOk, latencyMs: storeLatencyMs, ...(storeError ? { error: storeError } : {}) },
    plugins: deps.registry.plugins.map((loaded) => ({ id: loaded.plugin.id, source: loaded.source, mounts: loaded.mounts })),
    accounts: accounts ?? null,
    activeRequests: deps.activeRequests(),
    activeStreams: deps.activeStreams(),
  };
}

/** `work`'s result, or a rejection once `ms` passed (the work itself goes on, unawaited). */
function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late rejection after the deadline must not go unhandled
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
