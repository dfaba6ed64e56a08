/**
 * `npm run bench`: the same workload straight against a fake echo upstream and through
 * the gateway (echo plugin, embedded store), in one run, with the gateway in a child
 * process so its CPU time and peak RSS are measured on their own. Prints a table and
 * writes the numbers to bench/results/. Everything listens on 127.0.0.1; every loop is
 * bounded and a hard wall-clock cap ends the run whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'undici';
import { startChild, type ChildHandle } from './children.js';
import type { ChildStats, GatewayChildOptions } from './gateway-child.js';
import { createPool, runLoad, type LoadResult, type LoadTarget } from './load.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { compare, formatMode, mb, recordingCost, type ModeReport } from './report.js';
import { mergeResults, summarize } from './stats.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildHandle[] = [];
const pools: Pool[] = [];
let tempDir: string | undefined;

type Mode = 'stream' | 'unary';

interface Targets {
  direct: LoadTarget;
  gateway: LoadTarget;
  directPool: Pool;
  gatewayPool: Pool;
  gatewayChild: ChildHandle;
  /** With `--recording compare`: the same gateway with usage recording off. */
  off?: { target: LoadTarget; pool: Pool; child: ChildHandle };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function requestBody(mode: Mode): string {
  return JSON.stringify({ model: 'echo-1', input: 'The quick brown fox jumps over the lazy dog', stream: mode === 'stream' });
}

async function startProcesses(options: BenchOptions, upstreamKey: string, clientKey: string): Promise<Targets> {
  const fake = await startChild({
    name: 'fake upstream',
    cwd: repoRoot,
    nodeArgs: ['--import', 'tsx', 'bench/src/fake-upstream-child.ts'],
    env: { BENCH_FAKE_OPTIONS: JSON.stringify({ events: options.events, eventBytes: options.eventBytes, delayMs: options.delayMs, apiKey: upstreamKey }) },
    readyTimeoutMs: 60_000,
  });
  children.push(fake);
  const upstreamUrl = String(fake.ready.url);

  tempDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
  const gatewayChild = await startGateway(options, upstreamUrl, upstreamKey, clientKey, 'gateway', options.recording !== 'off');
  const gatewayUrl = String(gatewayChild.ready.url);
  log(`fake upstream ${upstreamUrl}; gateway ${gatewayUrl} (started in ${Number(gatewayChild.ready.startupMs).toFixed(0)} ms)`);

  const directPool = createPool(upstreamUrl, options.concurrency);
  const gatewayPool = createPool(gatewayUrl, options.concurrency);
  pools.push(directPool, gatewayPool);
  const targets: Targets = {
    direct: { name: 'direct', origin: upstreamUrl, path: '/v1/echo', headers: { authorization: `Bearer ${upstreamKey}` } },
    gateway: { name: options.recording === 'off' ? 'gateway (no rec)' : 'gateway', origin: gatewayUrl, path: '/echo/v1/echo', headers: { authorization: `Bearer ${clientKey}` } },
    directPool,
    gatewayPool,
    gatewayChild,
  };
  if (options.recording === 'compare') {
    const child = await startGateway(options, upstreamUrl, upstreamKey, clientKey, 'gateway-norec', false);
    const origin = String(child.ready.url);
    const pool = createPool(origin, options.concurrency);
    pools.push(pool);
    targets.off = { child, pool, target: { name: 'gateway (no rec)', origin, path: '/echo/v1/echo', headers: { authorization: `Bearer ${clientKey}` } } };
    log(`gateway with usage recording off ${origin}`);
  }
  return targets;
}

/** Starts one gateway child (its own data folder); `recordUsage` false turns the usage pipeline off. */
async function startGateway(options: BenchOptions, upstreamUrl: string, upstreamKey: string, clientKey: string, name: string, recordUsage: boolean): Promise<ChildHandle> {
  const gatewayOptions: GatewayChildOptions = {
    upstreamUrl,
    upstreamKey,
    clientKey,
    dataDir: path.join(tempDir!, `data-${name}`),
    rootDir: repoRoot,
    encryptionKey: randomBytes(32).toString('hex'),
    logLevel: options.logLevel,
    pluginMode: options.plugin,
    accountConcurrency: Math.max(64, options.concurrency * 4),
    recordUsage,
  };
  const nodeArgs = options.gatewayFrom === 'dist' ? ['bench/dist/gateway-child.js'] : ['--import', 'tsx', '--conditions', 'switchyard-src', 'bench/src/gateway-child.ts'];
  if (options.gatewayFrom === 'dist' && !existsSync(path.join(repoRoot, nodeArgs[0] as string))) {
    throw new Error('--gateway-from dist needs the build output: run `npm run build` first');
  }
  if (options.cpuProf) nodeArgs.unshift('--cpu-prof', '--cpu-prof-dir', path.join(repoRoot, 'bench', 'results', 'profiles'));
  const child = await startChild({
    name,
    cwd: repoRoot,
    nodeArgs,
    env: { BENCH_GATEWAY_OPTIONS: JSON.stringify(gatewayOptions), NODE_ENV: 'production' },
    readyTimeoutMs: 120_000,
  });
  children.push(child);
  return child;
}

/** One measured mode: warm-up, then `rounds` alternations of direct and gateway. */
async function runMode(mode: Mode, options: BenchOptions, t: Targets, deadlineAt: number): Promise<ModeReport> {
  const body = requestBody(mode);
  const mustContain = mode === 'stream' ? 'event: done' : '"usage"';
  const remaining = () => Math.max(1_000, deadlineAt - Date.now());
  const load = (pool: Pool, target: LoadTarget, requests: number) =>
    runLoad(pool, target, { requests, concurrency: options.concurrency, body, mustContain, deadlineMs: remaining() });

  // Probe each target once, so a broken setup fails with its error instead of a table of zeros.
  const probes: [Pool, LoadTarget][] = [[t.directPool, t.direct], [t.gatewayPool, t.gateway]];
  if (t.off) probes.push([t.off.pool, t.off.target]);
  for (const [pool, target] of probes) {
    const probe = await load(pool, target, 1);
    if (probe.completed !== 1) {
      throw new Error(`${mode} probe through ${target.name} (${target.origin}${target.path}) failed: ${probe.errorSamples.join('; ') || 'timed out'}`);
    }
  }
  if (options.warmup > 0) {
    await load(t.directPool, t.direct, options.warmup);
    await load(t.gatewayPool, t.gateway, options.warmup);
    if (t.off) await load(t.off.pool, t.off.target, options.warmup);
  }

  const direct: LoadResult[] = [];
  const gateway: LoadResult[] = [];
  let cpuUserUs = 0;
  let cpuSystemUs = 0;
  let gatewayWallMs = 0;
  let peakRssBytes = 0;
  const off: LoadResult[] = [];
  let offCpuUs = 0;
  const runGateway = async (requests: number) => {
    await t.gatewayChild.ask('reset');
    gateway.push(await load(t.gatewayPool, t.gateway, requests));
    const { stats } = await t.gatewayChild.ask<{ stats: ChildStats }>('stats');
    cpuUserUs += stats.cpuUserUs;
    cpuSystemUs += stats.cpuSystemUs;
    gatewayWallMs += stats.wallMs;
    peakRssBytes = Math.max(peakRssBytes, stats.peakRssBytes);
  };
  const runOff = async (requests: number) => {
    if (!t.off) return;
    await t.off.child.ask('reset');
    off.push(await load(t.off.pool, t.off.target, requests));
    const { stats } = await t.off.child.ask<{ stats: ChildStats }>('stats');
    offCpuUs += stats.cpuUserUs + stats.cpuSystemUs;
  };
  for (let round = 0; round < options.rounds; round++) {
    if (Date.now() >= deadlineAt) break;
    const requests = Math.floor(options.requests / options.rounds) + (round === 0 ? options.requests % options.rounds : 0);
    if (requests === 0) continue;
    // Alternate who goes first, so drift (heat, caches) does not favour one side.
    if (round % 2 === 0) {
      direct.push(await load(t.directPool, t.direct, requests));
      await runGateway(requests);
      await runOff(requests);
    } else {
      await runOff(requests);
      await runGateway(requests);
      direct.push(await load(t.directPool, t.direct, requests));
    }
  }
  if (direct.length === 0 || gateway.length === 0) throw new Error(`${mode}: the time cap was reached before any measured round`);

  const directSummary = summarize(mergeResults(direct));
  const gatewaySummary = summarize(mergeResults(gateway));
  const cpuMs = (cpuUserUs + cpuSystemUs) / 1000;
  const warnings: string[] = [];
  if (directSummary.bodyBytes !== gatewaySummary.bodyBytes) {
    warnings.push(`response sizes differ: direct ${directSummary.bodyBytes} B, gateway ${gatewaySummary.bodyBytes} B`);
  }
  const perResponse = mode === 'stream' ? `${options.events} delta events x ${options.eventBytes} chars, ${options.delayMs} ms apart` : 'one JSON body';
  return {
    mode,
    description: `${mode === 'stream' ? 'streamed (SSE)' : 'unary (JSON)'}: ${options.requests} requests per target in ${options.rounds} round(s), concurrency ${options.concurrency}, ${perResponse}`,
    direct: directSummary,
    gateway: gatewaySummary,
    gatewayProcess: {
      cpuMsPerRequest: gatewaySummary.completed > 0 ? cpuMs / gatewaySummary.completed : Number.NaN,
      cpuUserMs: cpuUserUs / 1000,
      cpuSystemMs: cpuSystemUs / 1000,
      cpuCores: gatewayWallMs > 0 ? cpuMs / gatewayWallMs : Number.NaN,
      peakRssBytes,
    },
    ...compare(directSummary, gatewaySummary),
    ...(off.length ? { recording: recordingCost(gatewaySummary, summarize(mergeResults(off)), cpuMs, offCpuUs / 1000) } : {}),
    warnings,
  };
}

async function cleanup(): Promise<void> {
  await Promise.allSettled(pools.map((pool) => pool.close()));
  await Promise.allSettled(children.map((child) => child.stop()));
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    log(USAGE);
    return 0;
  }
  const startedAt = new Date();
  const deadlineAt = Date.now() + options.timeoutS * 1000;
  // The hard cap: whatever hangs, the run ends (children die with their IPC channel).
  setTimeout(() => {
    console.error(`bench: hard cap of ${options.timeoutS} s reached; stopping`);
    for (const child of children) child.process.kill('SIGKILL');
    process.exit(1);
  }, options.timeoutS * 1000 + 30_000).unref();

  log(`Switchyard bench: node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}/${os.arch()}, gateway from ${options.gatewayFrom}`);
  const upstreamKey = `upstream-${randomBytes(12).toString('hex')}`;
  const clientKey = `sy_bench_${randomBytes(16).toString('hex')}`;
  const targets = await startProcesses(options, upstreamKey, clientKey);
  const idle = (await targets.gatewayChild.ask<{ stats: ChildStats }>('stats')).stats;

  const modes: Mode[] = options.mode === 'both' ? ['stream', 'unary'] : [options.mode];
  const reports: ModeReport[] = [];
  for (const mode of modes) {
    reports.push(await runMode(mode, options, targets, deadlineAt));
  }
  const final = (await targets.gatewayChild.ask<{ stats: ChildStats }>('stats')).stats;

  log('');
  for (const report of reports) log(`${formatMode(report)}\n`);
  log(`gateway RSS: ${mb(idle.rssBytes)} idle after start, ${mb(final.maxRssBytes)} lifetime max (OS maxRSS)`);
  log('ratios are gateway/direct: req/s below 1 and latency above 1 is the price of the extra hop.');

  const resultsDir = path.join(repoRoot, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    options,
    gateway: { idleRssBytes: idle.rssBytes, maxRssBytes: final.maxRssBytes, startupMs: targets.gatewayChild.ready.startupMs },
    modes: reports,
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), file)}`);
  if (options.cpuProf) log('gateway CPU profile: bench/results/profiles/*.cpuprofile (written when the gateway exits; open in Chrome DevTools)');

  const failed = reports.some(
    (r) => r.direct.errors + r.gateway.errors + (r.recording?.off.errors ?? 0) > 0 || r.direct.timedOut || r.gateway.timedOut || r.recording?.off.timedOut === true,
  );
  return failed ? 1 : 0;
}

main()
  .catch((error: Error) => {
    console.error(`bench failed: ${error.stack ?? error.message}`);
    return 1;
  })
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  });
