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
import { hasScaleFixture } from './gateway-setup.js';
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
  const nodeArgs = benchScript(options, 'gateway-child');
  const fixture = hasScaleFixture(gatewayOptions) ? await makeFixture(provider, options, name, gatewayOptions) : undefined;
  // Started as npm start and the Docker image start it (memory flags and environment).
  const launch = options.stockNode ? { nodeFlags: [], env: {} } : nodeSettings();
  nodeArgs.unshift(...launch.nodeFlags, ...options.nodeArgs);
  if (options.cpuProf) nodeArgs.unshift('--cpu-prof', '--cpu-prof-dir', path.join(repoRoot, 'bench', 'results', 'profiles'));
  const child = await startChild({
    name,
    cwd: repoRoot,
    nodeArgs,
    env: { ...launch.env, BENCH_GATEWAY_OPTIONS: JSON.stringify(gatewayOptions), NODE_ENV: 'production' },
    // Opening a store of millions of usage rows and cooling the fixture's accounts take a while.
    readyTimeoutMs: 120_000 + options.accounts * 50 + options.usageRows / 100,
  });
  running.children.push(child);
  if (fixture) log(`[${provider}] ${name}: ${String(child.ready.cooled)} of the fixture's accounts cooled down in the gateway`);
  // run.ts reports the fixture with the gateway it was made for.
  return fixture ? { ...child, ready: { ...child.ready, fixture } } : child;
}

/** The node arguments that run bench/src/`script`.ts (from source) or its build output (`--gateway-from dist`). */
function benchScript(options: BenchOptions, script: string): string[] {
  if (options.gatewayFrom !== 'dist') return ['--import', 'tsx', '--conditions', 'switchyard-src', `bench/src/${script}.ts`];
  const built = `bench/dist/${script}.js`;
  if (!existsSync(path.join(repoRoot, built))) {
    throw new Error('--gateway-from dist needs the build output: run `npm run build` (or `npx tsc -b`) first');
  }
  return [built];
}

/**
 * Makes the scale fixture in the gateway's store with a process of its own
 * (fixture-child.ts, the gateway's options), which exits before the gateway starts.
 */
async function makeFixture(
  provider: ProviderId,
  options: BenchOptions,
  name: string,
  gatewayOptions: GatewayChildOptions,
): Promise<ScaleFixtureReport> {
  const maker = await startChild({
    name: `${name} fixture`,
    cwd: repoRoot,
    nodeArgs: benchScript(options, 'fixture-child'),
    env: { BENCH_GATEWAY_OPTIONS: JSON.stringify(gatewayOptions), NODE_ENV: 'production' },
    // Minutes for millions of usage rows.
    readyTimeoutMs: 120_000 + options.keys * 10 + options.accounts * 50 + options.usageRows / 5,
  });
  await maker.stop();
  const fixture = maker.ready.fixture as ScaleFixtureReport;
  log(`[${provider}] ${name}: scale fixture made by a process of its own (exited) ${describeFixture(fixture)}`);
  return fixture;
}

/** One line on what the scale fixture made and how long it took. */
export function describeFixture(fixture: ScaleFixtureReport): string {
  const mix = Object.entries(fixture.accountMix)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
  const usage = fixture.usage
    ? `; usage history: ${fixture.usage.records} request-log records and ${fixture.usage.aggregateRows} aggregate rows in ${(fixture.usage.ms / 1000).toFixed(1)} s`
    : '';
  const total =
    fixture.totalMs === undefined
      ? ''
      : `; ${(fixture.totalMs / 1000).toFixed(1)} s in all${fixture.peakRssBytes === undefined ? '' : `, its process peaking at ${(fixture.peakRssBytes / 1048576).toFixed(0)} MB RSS`}`;
  return `keys in ${(fixture.keysMs / 1000).toFixed(1)} s; accounts (${mix || 'none'}) in ${(fixture.accountsMs / 1000).toFixed(1)} s${usage}${total}`;
}

/** Closes the pools, stops the children and the bench's redis-server and removes the temporary data folder. */
export async function cleanup(): Promise<void> {
  await Promise.allSettled(running.pools.map((pool) => pool.close()));
  await Promise.allSettled(running.children.map((child) => child.stop()));
  if (running.redis) await running.redis.stop().catch(() => undefined);
  if (running.tempDir) await rm(running.tempDir, { recursive: true, force: true });
}
