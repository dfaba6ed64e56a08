/**
 * An account type's probe (the admin's "test" button) run for one stored account: its
 * decrypted credentials, its egress proxy, its plugin's key-value store and a time limit.
 * A probe that throws counts as a failed probe; what it threw is logged, never returned.
 */
import type { Logger, PluginKv, ProbeResult } from '@switchyard/plugin-api';
import type { UpstreamHttp } from '../http/upstream-http.js';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { AccountService } from './account-service.js';

/** Longest a probe may take before its signal aborts it. */
export const PROBE_TIMEOUT_MS = 30_000;

/** What {@link probeAccount} needs. */
export interface ProbeAccountDeps {
  accounts: Pick<AccountService, 'resolve'>;
  registry: Pick<PluginRegistry, 'accountType'>;
  http: Pick<UpstreamHttp, 'client'>;
  pluginKv: (pluginId: string) => PluginKv;
  log: Logger;
}

/** The probe's result, or why there was none. */
export type ProbeOutcome =
  | { status: 'probed'; result: ProbeResult }
  | { status: 'no-account' }
  | { status: 'no-account-type'; type: string }
  | { status: 'no-probe'; type: string };

/** Runs the probe of account `id`'s type. */
export async function probeAccount(deps: ProbeAccountDeps, id: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<ProbeOutcome> {
  const resolved = await deps.accounts.resolve(id);
  if (!resolved) return { status: 'no-account' };
  const type = deps.registry.accountType(resolved.record.type);
  if (!type) return { status: 'no-account-type', type: resolved.record.type };
  const probe = type.definition.probe;
  if (!probe) return { status: 'no-probe', type: type.definition.id };
  try {
    const result = await probe({
      account: resolved.view,
      credentials: resolved.credentials,
      http: deps.http.client(resolved.proxyUrl),
      signal: AbortSignal.timeout(timeoutMs),
      log: deps.log,
      kv: deps.pluginKv(type.pluginId),
    });
    return { status: 'probed', result };
  } catch (error) {
    deps.log.warn('account probe failed', { accountId: resolved.record.id, error });
    return { status: 'probed', result: { ok: false, message: error instanceof Error ? error.name : 'probe failed' } };
  }
}
