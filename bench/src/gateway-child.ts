/**
 * The gateway under test, in its own process so its CPU time and memory can be measured
 * apart from the load generator and the fake upstream. processes.ts starts it as
 *
 *   node --import tsx --conditions switchyard-src bench/src/gateway-child.ts
 *
 * (from source: no build needed) or as `node bench/dist/gateway-child.js` (built, with the
 * plugins' and core's dist), with an IPC channel and `BENCH_GATEWAY_OPTIONS` (JSON,
 * see {@link GatewayChildOptions}). It answers:
 * - `{ type: 'reset' }`: starts a measurement window (CPU baseline, peak RSS cleared);
 * - `{ type: 'flush' }`: writes the queued usage records (`gateway.flushUsage()`), then answers `{ type: 'flush' }`;
 * - `{ type: 'recording', on }`: turns usage recording on or off (`gateway.setUsageRecording`), then answers `{ type: 'recording' }`;
 * - `{ type: 'stats' }`: `{ type: 'stats', stats: ChildStats }` for the window so far.
 * RSS is sampled every 100 ms. The child exits when the parent disconnects.
 *
 * It loads only the plugin of the provider under test (`echo`: the echo plugin with an
 * `echo-key` account; `claude`: `@switchyard/plugin-claude` with a `claude-console`
 * account; `bedrock`: the Claude plugin plus `@switchyard/plugin-bedrock` with a `bedrock`
 * account signing with SigV4), so each provider's memory and CPU figures are its own.
 */
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { createGateway, type Gateway } from '@switchyard/core';
import { gatewayOptions, providerSetup } from './gateway-setup.js';
import type { ProviderId } from './providers.js';
import { coolScaleAccounts, type ScaleOptions } from './scale-fixture.js';

export interface GatewayChildOptions {
  /** Which plugin and account type the gateway runs. */
  provider: ProviderId;
  /** The fake upstream's origin, the account's `baseUrl`. */
  upstreamUrl: string;
  /** The upstream API key the fake accepts. */
  upstreamKey: string;
  /** The client key declared in the config (20+ characters). */
  clientKey: string;
  /** The embedded store's folder (a temp dir). */
  dataDir: string;
  /** Installation root (the repository). */
  rootDir: string;
  encryptionKey: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** `inline`: the plugin object passed to createGateway; `package`: a config entry resolved from rootDir. */
  pluginMode: 'inline' | 'package';
  /** The account's concurrency cap; high so the bench measures overhead, not queueing. */
  accountConcurrency: number;
  /** Record usage (config `usage.record`); false measures the gateway without the usage pipeline. */
  recordUsage?: boolean;
  /** The store: embedded in `dataDir`, or the bench's own redis-server (`url`, a prefix of this gateway's). */
  store?: { type: 'embedded' } | { type: 'redis'; url: string; prefix: string };
  /**
   * Keys, accounts and usage history beside the bench's own (scale-fixture.ts), made in the
   * store by fixture-child.ts before this child starts; absent: none.
   */
  scale?: ScaleOptions;
  /** The first admin's password (the admin timings sign in with it). */
  adminPassword?: string;
}

/** What the child reports for one measurement window. */
export interface ChildStats {
  /** CPU time (user + system) spent in the window, in microseconds. */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** Highest RSS seen by the 100 ms sampler during the window, in bytes. */
  peakRssBytes: number;
  /** RSS right now, in bytes. */
  rssBytes: number;
  /** V8 heap in use and memory outside the heap (buffers, native modules), right now, in bytes. */
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  /** The process's lifetime maximum RSS as the OS reports it, in bytes. */
  maxRssBytes: number;
  /** Wall time of the window, in milliseconds. */
  wallMs: number;
  samples: number;
  /**
   * CPU time of the main (relaying) thread alone in the window, in milliseconds, from
   * /proc (10 ms ticks); NaN where /proc has no per-thread times. The rest of
   * `cpuUserUs + cpuSystemUs` is V8's helper threads, libuv's pool and the usage writer thread.
   */
  mainThreadCpuMs: number;
  /** Time the main thread spent paused for garbage collection in the window, in milliseconds. */
  gcPauseMs: number;
}

const send = process.send?.bind(process);
if (!send) {
  console.error('gateway-child must be started with an IPC channel (by bench/src/processes.ts)');
  process.exit(2);
}

const options = JSON.parse(process.env.BENCH_GATEWAY_OPTIONS ?? 'null') as GatewayChildOptions | null;
if (!options) {
  console.error('BENCH_GATEWAY_OPTIONS is missing');
  process.exit(2);
}

/** CPU ms of the main thread so far: utime + stime of /proc/self/task/<pid>/stat, in USER_HZ (100 per second) ticks. */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

let gcPauseMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauseMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

let cpuBase = process.cpuUsage();
let mainThreadBase = mainThreadCpuMs();
let gcBase = gcPauseMs;
let wallBase = performance.now();
let peakRss = process.memoryUsage.rss();
let samples = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
  samples++;
}, 100);
sampler.unref();

function stats(): ChildStats {
  const cpu = process.cpuUsage(cpuBase);
  const memory = process.memoryUsage();
  const rss = memory.rss;
  if (rss > peakRss) peakRss = rss;
  return {
    cpuUserUs: cpu.user,
    cpuSystemUs: cpu.system,
    peakRssBytes: peakRss,
    rssBytes: rss,
    heapUsedBytes: memory.heapUsed,
    heapTotalBytes: memory.heapTotal,
    externalBytes: memory.external,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    wallMs: performance.now() - wallBase,
    samples,
    mainThreadCpuMs: mainThreadCpuMs() - mainThreadBase,
    gcPauseMs: gcPauseMs - gcBase,
  };
}

let gateway: Gateway | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(sampler);
  const hardStop = setTimeout(() => process.exit(code), 10_000);
  hardStop.unref();
  try {
    await gateway?.close();
  } finally {
    process.exit(code);
  }
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'reset') {
    cpuBase = process.cpuUsage();
    mainThreadBase = mainThreadCpuMs();
    gcBase = gcPauseMs;
    wallBase = performance.now();
    peakRss = process.memoryUsage.rss();
    samples = 0;
    send({ type: 'reset' });
  } else if (message.type === 'flush') {
    void (gateway?.flushUsage() ?? Promise.resolve()).then(
      () => send({ type: 'flush' }),
      (error: unknown) => send({ type: 'flush', error: String(error) }),
    );
  } else if (message.type === 'recording') {
    gateway?.setUsageRecording((message as { on?: unknown }).on === true);
    send({ type: 'recording' });
  } else if (message.type === 'stats') {
    send({ type: 'stats', stats: stats() });
  } else if (message.type === 'stop') {
    void stop(0);
  }
});
process.on('disconnect', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

try {
  const started = performance.now();
  const setup = await providerSetup(options);
  gateway = await createGateway(gatewayOptions(options, setup));
  const startupMs = performance.now() - started;
  // The keys, accounts and usage history were made by fixture-child.ts before this process
  // started; the cooldowns are set here (the embedded store keeps account state in process).
  const cooled = options.scale && options.scale.accounts > 1 ? await coolScaleAccounts(gateway, options.scale) : 0;
  const url = await gateway.listen(0, '127.0.0.1');
  send({ type: 'ready', url, startupMs, cooled });
} catch (error) {
  const err = error as Error;
  send({ type: 'error', message: err.message, stack: err.stack });
  await stop(1);
}
