/**
 * `switchyard status`: asks a running gateway's `/health` (no admin session, no secrets)
 * whether it is reachable, which store it uses and whether that answers, its accounts by
 * state, and what is in flight. Exit status 0 when it serves, 1 when it is unreachable or
 * its store does not answer.
 */
import { parseArgs } from 'node:util';
import type { CliIo } from './cli-io.js';
import type { CliDeps } from './operator-context.js';
import { UsageError } from './usage-error.js';

/** How long `status` waits for the gateway. */
export const STATUS_TIMEOUT_MS = 5000;

/** The part of `/health`'s answer `status` reads. */
interface Health {
  status?: string;
  version?: string;
  uptimeSeconds?: number;
  store?: { kind?: string; ok?: boolean; latencyMs?: number; error?: string };
  accounts?: Record<string, number> | null;
  activeRequests?: number;
  activeStreams?: number;
}

/** Runs `status`; returns the exit status. */
export async function statusCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { config: { type: 'string', short: 'c' }, url: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`status takes no arguments (got "${positionals[0]}")`);
  const base = (values.url ?? (await urlFromConfig(values.config, deps))).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new UsageError('--url must start with http:// or https://');
  const get = deps.fetch ?? fetch;
  let health: Health;
  let httpStatus: number;
  try {
    const res = await get(`${base}/health`, { signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    httpStatus = res.status;
    health = (await res.json()) as Health;
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    if (values.json) io.stdout(`${JSON.stringify({ url: base, reachable: false, error: reason })}\n`);
    else io.stderr(`Gateway  ${base}: unreachable (${reason})\n`);
    return 1;
  }
  const serving = httpStatus === 200 && health.store?.ok === true;
  if (values.json) {
    io.stdout(`${JSON.stringify({ url: base, reachable: true, serving, ...health }, null, 2)}\n`);
    return serving ? 0 : 1;
  }
  const store = health.store ?? {};
  const accounts = health.accounts
    ? Object.entries(health.accounts)
        .map(([state, count]) => `${state} ${count}`)
        .join(', ') || 'none'
    : 'unknown (the store did not answer)';
  io.stdout(
    [
      `Gateway   ${base}: reachable, ${health.status ?? 'unknown'} (version ${health.version ?? '?'}, up ${uptime(health.uptimeSeconds)})`,
      `Store     ${store.kind ?? '?'}: ${store.ok ? `ok (${store.latencyMs ?? '?'} ms)` : `not answering${store.error ? ` (${store.error})` : ''}`}`,
      `Accounts  ${accounts}`,
      `In flight ${health.activeRequests ?? '?'} requests, ${health.activeStreams ?? '?'} answers streaming or being recorded`,
    ].join('\n') + '\n',
  );
  return serving ? 0 : 1;
}

/** The gateway's address from the config's `server` section (a wildcard host is asked on loopback). */
async function urlFromConfig(configFile: string | undefined, deps: CliDeps): Promise<string> {
  const loadConfig = deps.loadConfig ?? (await import('../config/load-config.js')).loadConfig;
  const { config } = await loadConfig({
    ...(configFile === undefined ? {} : { file: configFile }),
    ...(deps.env === undefined ? {} : { env: deps.env }),
    ...(deps.cwd === undefined ? {} : { cwd: deps.cwd }),
  });
  const { host, port } = config.server;
  const loopback =
    host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `http://${loopback}:${port}`;
}

function uptime(seconds: number | undefined): string {
  if (seconds === undefined) return '?';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  return days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${minutes}m` : `${minutes}m ${seconds % 60}s`;
}
