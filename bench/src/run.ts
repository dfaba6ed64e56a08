/**
 * `npm run bench`: the same workload straight against a fake upstream and through the
 * gateway, in one run, with the gateway in a child process so its CPU time and peak RSS
 * are measured on their own. Each provider (`echo`, `claude`) gets its own gateway
 * child(ren) against the one fake upstream child. Prints a table and writes the numbers
 * to bench/results/. Everything listens on 127.0.0.1; every loop is bounded and a hard
 * wall-clock cap ends the run whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'undici';
import { startChild, type ChildHandle } from './children.js';
import type { ChildStats, GatewayChildOptions } from './gateway-child.js';
import { createPool, runLoad, type LoadResult, type LoadTarget } from './load.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { PROVIDERS, type Mode, type Provider, type ProviderId } from './providers.js';
import {
  compare,
  cpuBudget,
  perRequest,
  formatIssue3,
  formatMode,
  issue3Summary,
  mb,
  recordingCost,
  type ModeReport,
} from './report.js';
import { runSideBySide, type SideBySideRound } from './side-by-side.js';
import { mergeResults, summarize } from './stats.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const children: ChildHandle[] = [];
const pools: Pool[] = [];
let tempDir: string | undefined;

/** One measured workload: a mode at a concurrency. */
interface Phase {
  mode: Mode;
  concurrency: number;
}

/** The gateway child(ren) of one provider. */
interface Gateways {
  on: ChildHandle;
  /** With `--recording compare` or `control`: the same gateway with usage recording off. */
  off?: ChildHandle;
}

interface Keys {
  upstreamKey: string;
  clientKey: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The phases of a run: `--mode` at `--concurrency`, or the issue 3 preset's fixed list. */
function phasesOf(options: BenchOptions): Phase[] {
  if (options.preset === 'issue3') {
    return [
      { mode: 'stream', concurrency: 1 },
      { mode: 'stream', concurrency: 32 },
      { mode: 'stream', concurrency: 64 },
      { mode: 'unary', concurrency: 32 },
    ];
  }
  const modes: Mode[] = options.mode === 'both' ? ['stream', 'unary'] : [options.mode];
  return modes.map((mode) => ({ mode, concurrency: options.concurrency }));
}

async function startFake(options: BenchOptions, upstreamKey: string): Promise<ChildHandle> {
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
  children.push(fake);
  return fake;
}

async function startGateways(provider: ProviderId, options: BenchOptions, upstreamUrl: string, keys: Keys): Promise<Gateways> {
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
function nodeSettings(): { nodeFlags: string[]; env: Record<string, string> } {
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
    dataDir: path.join(tempDir!, `data-${name}`),
    rootDir: repoRoot,
    encryptionKey: randomBytes(32).toString('hex'),
    logLevel: options.logLevel,
    pluginMode: options.plugin,
    accountConcurrency: Math.max(64, ...phasesOf(options).map((phase) => phase.concurrency * 4)),
    recordUsage,
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
    readyTimeoutMs: 120_000,
  });
  children.push(child);
  return child;
}

/**
 * The order of the targets in round `round`. Drift (heat, caches, the fake's and the load
 * generator's garbage after the fast direct phase) must not favour one side. Direct and
 * gateway alternate (D G, G D). With the recording-off gateway O, every two rounds each
 * gateway runs once right after direct and once right after the other gateway, and
 * every four each gateway also goes first as often: D G O, G D O, D O G, O D G. (A fixed
 * middle place for G, D G O then O G D, cost it 2-10% of throughput against O in A/A
 * runs, `--recording control`.)
 */
function roundOrder<T>(round: number, direct: T, gateway: T, off: T | undefined): T[] {
  if (off === undefined) return round % 2 === 0 ? [direct, gateway] : [gateway, direct];
  const orders = [
    [direct, gateway, off],
    [gateway, direct, off],
    [direct, off, gateway],
    [off, direct, gateway],
  ];
  return orders[round % 4]!;
}

/** One measured phase: probe, warm-up, then `rounds` alternations of direct and gateway, over fresh pools of `phase.concurrency` connections. */
async function runPhase(
  provider: Provider,
  phase: Phase,
  options: BenchOptions,
  fake: ChildHandle,
  keys: Keys,
  gateways: Gateways,
  deadlineAt: number,
): Promise<ModeReport> {
  const upstreamUrl = String(fake.ready.url);
  const { mode, concurrency } = phase;
  const body = provider.requestBody(mode);
  const mustContain = provider.mustContain(mode);
  const remaining = () => Math.max(1_000, deadlineAt - Date.now());
  const phasePools: Pool[] = [];
  const pool = (origin: string) => {
    const created = createPool(origin, concurrency);
    phasePools.push(created);
    pools.push(created);
    return created;
  };
  const direct = {
    pool: pool(upstreamUrl),
    target: {
      name: 'direct',
      origin: upstreamUrl,
      path: provider.upstreamPath,
      headers: provider.directHeaders(keys.upstreamKey),
    } as LoadTarget,
  };
  const gatewayOrigin = String(gateways.on.ready.url);
  const gateway = {
    pool: pool(gatewayOrigin),
    target: {
      name: options.recording === 'off' ? 'gateway (no rec)' : options.recording === 'control' ? 'gateway (control)' : 'gateway',
      origin: gatewayOrigin,
      path: provider.gatewayPath,
      headers: provider.gatewayHeaders(keys.clientKey),
    } as LoadTarget,
  };
  const offOrigin = gateways.off ? String(gateways.off.ready.url) : undefined;
  const off = offOrigin
    ? {
        pool: pool(offOrigin),
        target: {
          name: 'gateway (no rec)',
          origin: offOrigin,
          path: provider.gatewayPath,
          headers: provider.gatewayHeaders(keys.clientKey),
        } as LoadTarget,
      }
    : undefined;
  const load = (target: { pool: Pool; target: LoadTarget }, requests: number, stop?: AbortSignal) =>
    runLoad(target.pool, target.target, {
      requests,
      concurrency,
      body,
      mustContain,
      deadlineMs: remaining(),
      ...(stop ? { stop } : {}),
    });
  // CPU of the load generator (this process) and of the fake during the measured loads, per side.
  const spent = { direct: { loadgenUs: 0, fakeUs: 0 }, gateway: { loadgenUs: 0, fakeUs: 0 } };
  const fakeCpu = async () => (await fake.ask<{ us: number }>('cpu')).us;
  /**
   * A gateway's phase ends when the usage records of its requests are written: it is
   * asked to flush them, and that time counts in the phase's wall time (and its CPU in
   * the gateway's), instead of the batch landing in whichever phase runs next.
   */
  const usageTail = { ms: 0, phases: 0, phaseWallMs: 0 };
  const recorded = async (child: ChildHandle, result: LoadResult): Promise<LoadResult> => {
    const started = performance.now();
    const answer = await child.ask<{ error?: string }>('flush', 60_000);
    if (answer.error) throw new Error(`${provider.id} ${mode}: flushing usage failed: ${answer.error}`);
    const tailMs = performance.now() - started;
    if (child === gateways.on) {
      usageTail.ms += tailMs;
      usageTail.phases++;
      usageTail.phaseWallMs += result.wallMs + tailMs;
    }
    return { ...result, wallMs: result.wallMs + tailMs };
  };
  const measured = async (side: 'direct' | 'gateway', target: { pool: Pool; target: LoadTarget }, requests: number) => {
    const fakeBefore = await fakeCpu();
    const before = process.cpuUsage();
    const loaded = await load(target, requests);
    const result = side === 'gateway' ? await recorded(gateways.on, loaded) : loaded;
    const after = process.cpuUsage(before);
    spent[side].loadgenUs += after.user + after.system;
    spent[side].fakeUs += (await fakeCpu()) - fakeBefore;
    return result;
  };

  try {
    // Probe each target once, so a broken setup fails with its error instead of a table of zeros.
    for (const target of off ? [direct, gateway, off] : [direct, gateway]) {
      const probe = await load(target, 1);
      if (probe.completed !== 1) {
        throw new Error(
          `${provider.id} ${mode} probe through ${target.target.name} (${target.target.origin}${target.target.path}) failed: ${probe.errorSamples.join('; ') || 'timed out'}`,
        );
      }
    }
    if (options.warmup > 0) {
      await load(direct, options.warmup);
      await load(gateway, options.warmup);
      if (off) await load(off, options.warmup);
    }

    const directResults: LoadResult[] = [];
    const gatewayResults: LoadResult[] = [];
    let cpuUserUs = 0;
    let cpuSystemUs = 0;
    let gatewayWallMs = 0;
    let peakRssBytes = 0;
    const threads = { on: { mainMs: 0, gcMs: 0 }, off: { mainMs: 0, gcMs: 0 } };
    const offResults: LoadResult[] = [];
    let offCpuUs = 0;
    const runGateway = async (requests: number) => {
      await gateways.on.ask('reset');
      gatewayResults.push(await measured('gateway', gateway, requests));
      const { stats } = await gateways.on.ask<{ stats: ChildStats }>('stats');
      cpuUserUs += stats.cpuUserUs;
      cpuSystemUs += stats.cpuSystemUs;
      gatewayWallMs += stats.wallMs;
      peakRssBytes = Math.max(peakRssBytes, stats.peakRssBytes);
      threads.on.mainMs += stats.mainThreadCpuMs;
      threads.on.gcMs += stats.gcPauseMs;
    };
    const runOff = async (requests: number) => {
      if (!off || !gateways.off) return;
      await gateways.off.ask('reset');
      offResults.push(await recorded(gateways.off, await load(off, requests)));
      const { stats } = await gateways.off.ask<{ stats: ChildStats }>('stats');
      offCpuUs += stats.cpuUserUs + stats.cpuSystemUs;
      threads.off.mainMs += stats.mainThreadCpuMs;
      threads.off.gcMs += stats.gcPauseMs;
    };
    const runDirect = async (requests: number) => {
      directResults.push(await measured('direct', direct, requests));
    };
    const sideBySide: SideBySideRound[] = [];
    const cpuOf = (stats: ChildStats) => ({
      cpuMs: (stats.cpuUserUs + stats.cpuSystemUs) / 1000,
      mainMs: stats.mainThreadCpuMs,
      gcMs: stats.gcPauseMs,
    });
    /**
     * Both gateways at once (side-by-side.ts). Crossover: in odd rounds the two processes
     * swap roles (the one started with recording off records, the other does not), so
     * that what differs between the two processes themselves (how V8 sized their heaps,
     * what the JIT did: 1-2% in A/A runs, up to 10% when one's GC pauses ran twice as
     * long) cancels out over each pair of rounds.
     */
    const runBothAtOnce = async (requests: number, round: number) => {
      if (!off || !gateways.off) return;
      const swapped = round % 2 === 1;
      const [onChild, offChild] = swapped ? [gateways.off, gateways.on] : [gateways.on, gateways.off];
      const [onTarget, offTarget] = swapped ? [off, gateway] : [gateway, off];
      const roles = (recorder: ChildHandle, other: ChildHandle) =>
        Promise.all([
          recorder.ask('recording', 10_000, { on: options.recording === 'compare' }),
          other.ask('recording', 10_000, { on: false }),
        ]);
      if (swapped) await roles(onChild, offChild);
      const onFirst = Math.floor(round / 2) % 2 === 0;
      await Promise.all([onChild.ask('reset'), offChild.ask('reset')]);
      const result = await runSideBySide(
        (n, stop) => load(onTarget, n, stop),
        (n, stop) => load(offTarget, n, stop),
        requests,
        onFirst,
      );
      const [onStats, offStats] = await Promise.all([
        onChild.ask<{ stats: ChildStats }>('stats'),
        offChild.ask<{ stats: ChildStats }>('stats'),
      ]);
      sideBySide.push({ ...result, swapped, onCpu: cpuOf(onStats.stats), offCpu: cpuOf(offStats.stats) });
      // The records left at the end of the window are written before the next phase, unmeasured.
      await Promise.all([gateways.on.ask('flush', 60_000), gateways.off.ask('flush', 60_000)]);
      if (swapped) await roles(gateways.on, gateways.off);
    };
    for (let round = 0; round < options.rounds; round++) {
      if (Date.now() >= deadlineAt) break;
      const requests = Math.floor(options.requests / options.rounds) + (round === 0 ? options.requests % options.rounds : 0);
      if (requests === 0) continue;
      for (const run of roundOrder(round, runDirect, runGateway, off ? runOff : undefined)) await run(requests);
      await runBothAtOnce(requests, round);
    }
    if (directResults.length === 0 || gatewayResults.length === 0)
      throw new Error(`${provider.id} ${mode}: the time cap was reached before any measured round`);

    const directSummary = summarize(mergeResults(directResults));
    const gatewaySummary = summarize(mergeResults(gatewayResults));
    const cpuMs = (cpuUserUs + cpuSystemUs) / 1000;
    const warnings: string[] = [];
    if (directSummary.bodyBytes !== gatewaySummary.bodyBytes) {
      warnings.push(`response sizes differ: direct ${directSummary.bodyBytes} B, gateway ${gatewaySummary.bodyBytes} B`);
    }
    const perResponse =
      mode === 'stream'
        ? `${options.events} ${provider.id === 'claude' ? 'content_block_delta' : 'delta'} events x ${options.eventBytes} chars, ${options.delayMs} ms apart`
        : 'one JSON body';
    return {
      provider: provider.id,
      mode,
      concurrency,
      description:
        `[${provider.id}] ${mode === 'stream' ? 'streamed (SSE)' : 'unary (JSON)'} ${provider.gatewayPath}: ${options.requests} requests per target in ` +
        `${options.rounds} round(s), concurrency ${concurrency}, ${perResponse}`,
      direct: directSummary,
      gateway: gatewaySummary,
      gatewayProcess: {
        cpuMsPerRequest: gatewaySummary.completed > 0 ? cpuMs / gatewaySummary.completed : Number.NaN,
        cpuUserMs: cpuUserUs / 1000,
        cpuSystemMs: cpuSystemUs / 1000,
        cpuCores: gatewayWallMs > 0 ? cpuMs / gatewayWallMs : Number.NaN,
        peakRssBytes,
        usageTail,
        mainThreadMsPerRequest: perRequest(threads.on.mainMs, gatewaySummary.completed),
        gcPauseMsPerRequest: perRequest(threads.on.gcMs, gatewaySummary.completed),
      },
      cpuBudget: cpuBudget(spent, directSummary.completed, gatewaySummary.completed, cpuMs),
      ...compare(directSummary, gatewaySummary),
      ...(offResults.length
        ? {
            recording: recordingCost(
              gatewaySummary,
              summarize(mergeResults(offResults)),
              { on: gatewayResults, off: offResults },
              { cpuMs, ...threads.on },
              { cpuMs: offCpuUs / 1000, ...threads.off },
              sideBySide,
              options.recording === 'control',
            ),
          }
        : {}),
      warnings,
    };
  } finally {
    await Promise.allSettled(phasePools.map((created) => created.close()));
    for (const created of phasePools) pools.splice(pools.indexOf(created), 1);
  }
}

/** What one provider's run produced. */
interface ProviderRun {
  provider: ProviderId;
  gateway: {
    idleRssBytes: number;
    idleHeapUsedBytes: number;
    idleExternalBytes: number;
    maxRssBytes: number;
    startupMs: unknown;
  };
  reports: ModeReport[];
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
  setTimeout(
    () => {
      console.error(`bench: hard cap of ${options.timeoutS} s reached; stopping`);
      for (const child of children) child.process.kill('SIGKILL');
      process.exit(1);
    },
    options.timeoutS * 1000 + 30_000,
  ).unref();

  log(
    `Switchyard bench: node ${process.version}, ${os.cpus().length} CPUs, ${os.platform()}/${os.arch()}, gateway from ${options.gatewayFrom}, ` +
      `provider(s) ${options.providers.join(', ')}${options.preset ? `, preset ${options.preset}` : ''}`,
  );
  const launch = options.stockNode ? undefined : nodeSettings();
  const flags = [...(launch?.nodeFlags ?? []), ...options.nodeArgs];
  const env = Object.entries(launch?.env ?? {}).map(([name, value]) => `${name}=${value}`);
  log(
    `gateway process: ${[...env, 'node', ...flags].join(' ')}${launch ? ' (the launch settings of npm start and the Docker image)' : ' (stock Node)'}`,
  );
  // One upstream key for both wire formats: `sk-ant-` so the claude-console account sends it as x-api-key.
  const keys: Keys = {
    upstreamKey: `sk-ant-bench-${randomBytes(12).toString('hex')}`,
    clientKey: `sy_bench_${randomBytes(16).toString('hex')}`,
  };
  const fake = await startFake(options, keys.upstreamKey);
  const upstreamUrl = String(fake.ready.url);
  log(`fake upstream ${upstreamUrl}`);
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));

  const runs: ProviderRun[] = [];
  for (const id of options.providers) {
    const gateways = await startGateways(id, options, upstreamUrl, keys);
    const idle = (await gateways.on.ask<{ stats: ChildStats }>('stats')).stats;
    const reports: ModeReport[] = [];
    for (const phase of phasesOf(options)) {
      const report = await runPhase(PROVIDERS[id], phase, options, fake, keys, gateways, deadlineAt);
      log(`  done: ${report.description.split(':')[0]} at concurrency ${phase.concurrency}`);
      reports.push(report);
    }
    const final = (await gateways.on.ask<{ stats: ChildStats }>('stats')).stats;
    runs.push({
      provider: id,
      gateway: {
        idleRssBytes: idle.rssBytes,
        idleHeapUsedBytes: idle.heapUsedBytes,
        idleExternalBytes: idle.externalBytes,
        maxRssBytes: final.maxRssBytes,
        startupMs: gateways.on.ready.startupMs,
      },
      reports,
    });
    // The next provider gets its own gateway; this one's CPU profile (if any) is written as it exits.
    await gateways.on.stop();
    await gateways.off?.stop();
  }

  log('');
  for (const run of runs) {
    for (const report of run.reports) log(`${formatMode(report)}\n`);
    log(
      `[${run.provider}] gateway RSS: ${mb(run.gateway.idleRssBytes)} idle after start (V8 heap used ${mb(run.gateway.idleHeapUsedBytes)}, ` +
        `external ${mb(run.gateway.idleExternalBytes)}), ${mb(run.gateway.maxRssBytes)} lifetime max (OS maxRSS)\n`,
    );
  }
  log('ratios are gateway/direct: req/s below 1 and latency above 1 is the price of the extra hop.');
  const issue3 =
    options.preset === 'issue3' ? issue3Summary(runs.find((run) => run.provider === 'claude')?.reports ?? []) : undefined;
  if (issue3) log(`\n${formatIssue3(issue3)}`);

  const resultsDir = path.join(repoRoot, 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  const json = {
    startedAt: startedAt.toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    options,
    providers: runs.map((run) => ({ provider: run.provider, gateway: run.gateway, modes: run.reports })),
    ...(issue3 ? { issue3 } : {}),
  };
  await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
  log(`results: ${path.relative(process.cwd(), file)}`);
  if (options.cpuProf)
    log('gateway CPU profile: bench/results/profiles/*.cpuprofile (one per gateway child; open in Chrome DevTools)');

  const reports = runs.flatMap((run) => run.reports);
  const failed = reports.some(
    (r) =>
      r.direct.errors + r.gateway.errors + (r.recording?.off.errors ?? 0) > 0 ||
      r.direct.timedOut ||
      r.gateway.timedOut ||
      r.recording?.off.timedOut === true,
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
