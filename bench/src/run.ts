/**
 * `npm run bench`: the same workload straight against a fake upstream and through the
 * gateway, in one run, with the gateway in a child process so its CPU time and peak RSS
 * are measured on their own. Each provider (`echo`, `claude`) gets its own gateway
 * child(ren) against the one fake upstream child. Prints a table and writes the numbers
 * to bench/results/. Everything listens on 127.0.0.1; every loop is bounded and a hard
 * wall-clock cap ends the run whatever happens.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ChildStats } from './gateway-child.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { phasesOf } from './phases.js';
import { benchAdminPassword, cleanup, nodeSettings, running, startFake, startGateways, type Keys } from './processes.js';
import { PROVIDERS } from './providers.js';
import { formatIssue3, formatMode, issue3Summary, mb, type ModeReport } from './report.js';
import { formatPair, runProviderPair } from './provider-pair.js';
import { formatColdStart, runColdStarts } from './cold-start.js';
import { runPhase } from './run-phase.js';
import { writeResults, type ProviderRun } from './write-results.js';
import { formatAdminTimings, timeAdmin } from './admin-timings.js';
import { startBenchRedis } from './bench-redis.js';
import type { ScaleFixtureReport } from './scale-fixture.js';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
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
      for (const child of running.children) child.process.kill('SIGKILL');
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
  running.tempDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-bench-'));
  if (options.store === 'redis') {
    running.redis = await startBenchRedis();
    log(`redis-server ${running.redis.url} (the bench's own, no persistence; each gateway under a prefix of its own)`);
  }
  if (options.keys > 1 || options.accounts > 1 || options.usageRows > 0)
    log(
      `scale: ${options.keys} keys, ${options.accounts} accounts, ${options.usageRows} usage rows over ${options.usageDays} days ` +
        `(made in each gateway's store by a process of its own before the gateway starts; the measured requests use the bench key and account only)`,
    );

  if (options.coldStart > 0) {
    const report = await runColdStarts(options, upstreamUrl, keys, deadlineAt);
    log(formatColdStart(report));
    log(
      `machine load average (1, 5, 15 min): ${os
        .loadavg()
        .map((load) => load.toFixed(1))
        .join(', ')}`,
    );
    const file = await writeResults([], options, startedAt, undefined, { coldStart: report, loadAverage: os.loadavg() });
    log(`results: ${path.relative(process.cwd(), file)}`);
    return 0;
  }

  if (options.pair) {
    const modes = phasesOf(options).map((phase) => phase.mode);
    let failed = false;
    for (const mode of modes) {
      const report = await runProviderPair(options.pair, mode, options, upstreamUrl, keys, deadlineAt);
      log(formatPair(report));
      failed ||= report.errors > 0;
    }
    return failed ? 1 : 0;
  }

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
    const admin =
      options.adminSamples > 0
        ? await timeAdmin(String(gateways.on.ready.url), benchAdminPassword, options.adminSamples)
        : undefined;
    if (admin) log(formatAdminTimings(id, admin));
    const fixture = gateways.on.ready.fixture as ScaleFixtureReport | undefined;
    const redisUsedMemoryBytes = await running.redis?.usedMemory();
    runs.push({
      ...(admin ? { admin } : {}),
      ...(fixture ? { fixture } : {}),
      ...(redisUsedMemoryBytes === undefined ? {} : { redisUsedMemoryBytes }),
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
        `external ${mb(run.gateway.idleExternalBytes)}), ${mb(run.gateway.maxRssBytes)} lifetime max (OS maxRSS)` +
        (run.redisUsedMemoryBytes === undefined ? '' : `; redis used_memory ${mb(run.redisUsedMemoryBytes)}`),
    );
    log(run.admin ? `${formatAdminTimings(run.provider, run.admin)}\n` : '');
  }
  log('ratios are gateway/direct: req/s below 1 and latency above 1 is the price of the extra hop.');
  const issue3 =
    options.preset === 'issue3' ? issue3Summary(runs.find((run) => run.provider === 'claude')?.reports ?? []) : undefined;
  if (issue3) log(`\n${formatIssue3(issue3)}`);

  const file = await writeResults(runs, options, startedAt, issue3);
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

const code = await main().catch((error: Error) => {
  console.error(`bench failed: ${error.stack ?? error.message}`);
  return 1;
});
await cleanup();
process.exit(code);
