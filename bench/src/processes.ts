/**
 * The child processes of a run (the fake upstream, the gateways), started with the
 * gateway's launch settings, and everything a run must close at its end (children,
 * connection pools, the temporary data folder), whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'undici';
import type { BenchRedis } from './bench-redis.js';
import { startChild, type ChildHandle } from './children.js';
import type { GatewayChildOptions } from './gateway-child.js';
import type { ScaleFixtureReport } from './scale-fixture.js';
import type { BenchOptions } from './options.js';
import { phasesOf } from './phases.js';
import type { ProviderId } from './providers.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What the run has started or opened, closed by {@link cleanup}. */
export const running: { children: ChildHandle[]; pools: Pool[]; tempDir: string | undefined; redis?: BenchRedis } = {
  children: [],
  pools: [],
  tempDir: undefined,
};

/** The admin password of every bench gateway (the admin timings sign in with it). */
export const benchAdminPassword = `bench-admin-${randomBytes(9).toString('hex')}`;

/** The gateway child(ren) of one provider. */
export interface Gateways {
  on: ChildHandle;
  /** With `--recording compare` or `control`: the same gateway with usage recording off. */
  off?: ChildHandle;
}

/** The fake upstream's key (what the gateway's account sends) and the client key the gateway accepts. */
export interface Keys {
  upstreamKey: string;
  clientKey: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Starts the fake upstream child, serving both routes' wire formats with `upstreamKey`. */
export async function startFake(options: BenchOptions, upstreamKey: string): Promise<ChildHandle> {
  const fake = await startChild({
    name: 'fake upstream',
    cwd: repoRoot,
    nodeArgs: ['--import', 'tsx', 'bench/src/fake-upstream-child.ts'],
    env: {
      BENCH_FAKE_OPTIONS: JSON.stringify({
        events: options.events,
        eventBytes: options.eventBytes,
        delayMs: options.delayMs,
        apiKey: upstreamKey,
      }),
    },
    readyTimeoutMs: 60_000,
  });
  running.children.push(fake);
  return fake;
}

/** Starts the gateway child of `provider` and, with `--recording compare` or `control`, its recording-off twin. */
export async function startGateways(
  provider: ProviderId,
  options: BenchOptions,
  upstreamUrl: string,
  keys: Keys,
): Promise<Gateways> {
  const recordsUsage = options.recording === 'on' || options.recording === 'compare';
  const on = await startGateway(provider, options, upstreamUrl, keys, `gateway-${provider}`, recordsUsage);
  log(
    `[${provider}] gateway ${String(on.ready.url)} (started in ${Number(on.ready.startupMs).toFixed(0)} ms, usage recording ${recordsUsage ? 'on' : 'off'})`,
  );
  if (options.recording !== 'compare' && options.recording !== 'control') return { on };
  const off = await startGateway(provider, options, upstreamUrl, keys, `gateway-${provider}-norec`, false);
  log(`[${provider}] gateway with usage recording off ${String(off.ready.url)}`);
  return { on, off };
}

/** The gateway's launch settings (core/bin/node-settings.json), as npm start and the Docker image use them. */
export function nodeSettings(): { nodeFlags: string[]; env: Record<string, string> } {
  const file = JSON.parse(readFileSync(path.join(repoRoot, 'core', 'bin', 'node-settings.json'), 'utf8')) as {
    nodeFlags: string[];
    env: Record<string, string>;
  };
  return { nodeFlags: file.nodeFlags, env: file.env };
}

/** Starts one gateway child (its own data folder); `recordUsage` false turns the usage pipeline off. */
async function startGateway(
  provider: ProviderId,
  options: BenchOptions,
  upstreamUrl: string,
  keys: Keys,
  name: string,
  recordUsage: boolean,
): Promise<ChildHandle> {
  const gatewayOptions: GatewayChildOptions = {
    provider,
    upstreamUrl,
    upstreamKey: keys.upstreamKey,
    clientKey: keys.clientKey,
    dataDir: path.join(running.tempDir!, `data-${name}`),
    rootDir: repoRoot,
    encryptionKey: randomBytes(32).toString('hex'),
    logLevel: options.logLevel,
    pluginMode: options.plugin,
    accountConcurrency: Math.max(64, ...phasesOf(options).map((phase) => phase.concurrency * 4)),
    recordUsage,
    store: running.redis ? { type: 'redis', url: running.redis.url, prefix: `bench:${name}:` } : { type: 'embedded' },
    scale: { keys: options.keys, accounts: options.accounts, usageRows: options.usageRows, usageDays: options.usageDays },
    adminPassword: benchAdminPassword,
  };
  const nodeArgs =
    options.gatewayFrom === 'dist'
      ? ['bench/dist/gateway-child.js']
      : ['--import', 'tsx', '--conditions', 'switchyard-src', 'bench/src/gateway-child.ts'];
  if (options.gatewayFrom === 'dist' && !existsSync(path.join(repoRoot, nodeArgs[0] as string))) {
    throw new Error('--gateway-from dist needs the build output: run `npm run build` (or `npx tsc -b`) first');
  }
  // Started as npm start and the Docker image start it (memory flags and environment).
  const launch = options.stockNode ? { nodeFlags: [], env: {} } : nodeSettings();
  nodeArgs.unshift(...launch.nodeFlags, ...options.nodeArgs);
  if (options.cpuProf) nodeArgs.unshift('--cpu-prof', '--cpu-prof-dir', path.join(repoRoot, 'bench', 'results', 'profiles'));
  const child = await startChild({
    name,
    cwd: repoRoot,
    nodeArgs,
    env: { ...launch.env, BENCH_GATEWAY_OPTIONS: JSON.stringify(gatewayOptions), NODE_ENV: 'production' },
    // The scale fixture is made before the child is ready: minutes for millions of usage rows.
    readyTimeoutMs: 120_000 + options.keys * 10 + options.accounts * 50 + options.usageRows / 5,
  });
  const fixture = child.ready.fixture as ScaleFixtureReport | undefined;
  if (fixture) log(`[${provider}] ${name}: scale fixture ${describeFixture(fixture)}`);
  running.children.push(child);
  return child;
}

/** One line on what the scale fixture made and how long it took. */
export function describeFixture(fixture: ScaleFixtureReport): string {
  const mix = Object.entries(fixture.accountMix)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const usage = fixture.usage
    ? `; usage history: ${fixture.usage.records} request-log records and ${fixture.usage.aggregateRows} aggregate rows in ${(fixture.usage.ms / 1000).toFixed(1)} s`
    : '';
  return `keys in ${(fixture.keysMs / 1000).toFixed(1)} s; accounts (${mix || 'none'}) in ${(fixture.accountsMs / 1000).toFixed(1)} s${usage}`;
}

/** Closes the pools, stops the children and the bench's redis-server and removes the temporary data folder. */
export async function cleanup(): Promise<void> {
  await Promise.allSettled(running.pools.map((pool) => pool.close()));
  await Promise.allSettled(running.children.map((child) => child.stop()));
  if (running.redis) await running.redis.stop().catch(() => undefined);
  if (running.tempDir) await rm(running.tempDir, { recursive: true, force: true });
}
