/**
 * `GET /health`: 200 whenever the process can serve (even with no account yet), with
 * store reachability, loaded plugins and accounts by state; 503 only when the store
 * does not answer.
 */
import type { Context } from 'koa';
import type { Store } from '../store/types.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { AccountResolver } from '../relay/resolved-account.js';

export interface HealthDeps {
  store: Store;
  registry: PluginRegistry;
  accounts: AccountResolver;
  version: string;
  startedAt: number;
  activeStreams(): number;
}

async function accountsByState(deps: HealthDeps): Promise<Record<string, number>> {
  const records = await deps.accounts.listRecords();
  const states = await deps.store.accountState.getMany(records.map((record) => record.id));
  const now = Date.now();
  const counts: Record<string, number> = { active: 0, cooling_down: 0, disabled: 0, unknown_type: 0 };
  for (const record of records) {
    const state = !record.enabled
      ? 'disabled'
      : !deps.registry.accountType(record.type)
        ? 'unknown_type'
        : (states.get(record.id)?.coolingDownUntil ?? 0) > now
          ? 'cooling_down'
          : 'active';
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
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
      accounts = await accountsByState(deps);
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
