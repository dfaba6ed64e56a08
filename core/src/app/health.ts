/**
 * `GET /health`: 200 whenever the process can serve (even with no account yet), with
 * store reachability, loaded plugins and accounts by state; 503 only when the store
 * does not answer.
 */
import type { Context } from 'koa';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { AccountResolver } from '../relay/resolved-account.js';
import { accountStates } from '../metrics/account-gauges.js';

export interface HealthDeps {
  store: Store;
  registry: PluginRegistry;
  accounts: AccountResolver;
  version: string;
  startedAt: number;
  activeStreams(): number;
}

export async function healthHandler(ctx: Context, deps: HealthDeps): Promise<void> {
  const started = Date.now();
  let storeOk = true;
  let storeError: string | undefined;
  try {
    await deps.store.ping();
  } catch (error) {
    storeOk = false;
    storeError = error instanceof Error ? error.message : 'unreachable';
  }
  const storeLatencyMs = Date.now() - started;
  let accounts: Record<string, number> | undefined;
  if (storeOk) {
    try {
      accounts = await accountStates({ store: deps.store, registry: deps.registry, listAccounts: () => deps.accounts.listRecords() });
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
    activeStreams: deps.activeStreams(),
  };
}
