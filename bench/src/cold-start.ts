/**
 * `--cold-start N`: how soon a freshly started gateway serves, and how its CPU per
 * request falls from the first requests to the steady state.
 *
 * Each of the N starts spawns the gateway as production starts it: `node <launch
 * settings> core/bin/switchyard.js start --config <file>` from the build output (dist),
 * with the three first-party plugins (claude, gemini, openai) loaded from their packages,
 * an embedded store in a fresh folder, one client key and one `claude-console` account
 * whose `baseUrl` is the fake upstream. The clock starts just before the spawn; the
 * gateway's `gateway listening` log line (stdout, info level) marks it listening, and
 * the first streamed Claude request's last byte marks the first relayed answer. RSS is
 * read from /proc right when it listens (idle after start) and after the first answer.
 *
 * The last start then serves `--cold-batches` batches of `--cold-batch` streamed
 * requests at `--concurrency`, and the gateway's CPU time (from /proc) per batch shows
 * the JIT warming up; a final batch after `--warmup` more requests is the steady state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import type { BenchOptions } from './options.js';
import { createPool, runLoad } from './load.js';
import { nodeSettings, repoRoot, running, type Keys } from './processes.js';
import { PROVIDERS } from './providers.js';
import { median } from './report.js';

/** One start: when it listened and answered (ms after the spawn), and its RSS then. */
export interface ColdStart {
  listeningMs: number;
  firstAnswerMs: number;
  idleRssBytes: number;
  afterFirstRssBytes: number;
}

/** CPU per request over one batch of requests after the start. */
export interface WarmupBatch {
  /** Requests served before this batch (the first answer included). */
  after: number;
  requests: number;
  cpuMsPerRequest: number;
}

export interface ColdStartReport {
  starts: ColdStart[];
  medianFirstAnswerMs: number;
  medianListeningMs: number;
  medianIdleRssBytes: number;
  batches: WarmupBatch[];
}

/** The gateway's entry (the CLI, from dist). */
const CLI = path.join(repoRoot, 'core', 'bin', 'switchyard.js');
const PLUGINS = ['@switchyard/plugin-claude', '@switchyard/plugin-gemini', '@switchyard/plugin-openai'];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** RSS of process `pid`, in bytes (VmRSS of /proc/<pid>/status). */
function rssOf(pid: number): number {
  const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/** CPU time (user + system, every thread) of process `pid`, in ms, from /proc (10 ms ticks). */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Resolves when `child` writes `line` to stdout; rejects when it exits first or after `timeoutMs`. */
function waitForLine(child: ChildProcess, line: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let output = '';
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      // Only the tail is kept: the line may arrive split over two chunks.
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      output = (output + chunk.toString('utf8')).slice(-8192);
      if (seen.includes(line)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`the gateway exited (code ${code}) before '${line}':\n${output}`));
    const timer = setTimeout(() => finish(new Error(`no '${line}' within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Starts one gateway; measures it; with `warm`, also measures its first batches. Stops it. */
async function oneStart(
  index: number,
  options: BenchOptions,
  upstreamUrl: string,
  keys: Keys,
  warm: boolean,
  deadlineAt: number,
): Promise<{ start: ColdStart; batches: WarmupBatch[] }> {
  const dir = path.join(running.tempDir!, `cold-${index}`);
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const configFile = path.join(dir, 'switchyard.config.json');
  await writeFile(
    configFile,
    JSON.stringify({
      server: { host: '127.0.0.1', port },
      store: { type: 'embedded', path: path.join(dir, 'data') },
      plugins: PLUGINS.map((name) => ({ package: name })),
      security: { encryptionKey: 'b'.repeat(64) },
      logging: { level: 'info' },
      accounts: [
        {
          id: 'bench-claude',
          type: 'claude-console',
          name: 'bench Anthropic upstream',
          maxConcurrency: Math.max(64, options.concurrency * 4),
          credentials: { apiKey: keys.upstreamKey, baseUrl: upstreamUrl },
        },
      ],
      keys: [{ name: 'bench', key: keys.clientKey }],
    }),
  );
  const launch = options.stockNode ? { nodeFlags: [], env: {} } : nodeSettings();
  const provider = PROVIDERS.claude;
  const origin = `http://127.0.0.1:${port}`;
  const target = { name: 'gateway', origin, path: provider.gatewayPath, headers: provider.gatewayHeaders(keys.clientKey) };
  const spec = (requests: number, concurrency: number) => ({
    requests,
    concurrency,
    body: provider.requestBody('stream'),
    mustContain: provider.mustContain('stream'),
    deadlineMs: Math.max(1000, deadlineAt - Date.now()),
  });

  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...launch.nodeFlags, ...options.nodeArgs, CLI, 'start', '--config', configFile], {
    // Plugins' packages resolve from the installation (the repository), as with npm start.
    cwd: repoRoot,
    env: { ...process.env, ...launch.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString('utf8')).slice(-4096)));
  try {
    await waitForLine(child, 'gateway listening', 60_000).catch((error: Error) => {
      throw new Error(`${error.message}${errors}`);
    });
    const listeningMs = performance.now() - spawnedAt;
    const idleRssBytes = rssOf(child.pid!);
    const pool = createPool(origin, Math.max(1, options.concurrency));
    running.pools.push(pool);
    const first = await runLoad(pool, target, spec(1, 1));
    const firstAnswerMs = performance.now() - spawnedAt;
    if (first.errors > 0 || first.completed !== 1)
      throw new Error(`cold start ${index + 1}: the first request failed: ${first.errorSamples.join('; ')}`);
    const start = { listeningMs, firstAnswerMs, idleRssBytes, afterFirstRssBytes: rssOf(child.pid!) };
    const batches: WarmupBatch[] = [];
    if (warm) {
      let served = 1;
      const batch = async (requests: number) => {
        const before = cpuMsOf(child.pid!);
        const result = await runLoad(pool, target, spec(requests, options.concurrency));
        if (result.errors > 0) throw new Error(`cold start batch: ${result.errorSamples.join('; ')}`);
        batches.push({ after: served, requests, cpuMsPerRequest: (cpuMsOf(child.pid!) - before) / requests });
        served += requests;
      };
      for (let i = 0; i < options.coldBatches; i++) await batch(options.coldBatch);
      if (options.warmup > 0) {
        await runLoad(pool, target, spec(options.warmup, options.concurrency));
        served += options.warmup;
      }
      // The steady state: a batch of 2,000 (10 ms ticks need many requests for a fine figure).
      await batch(Math.max(options.coldBatch, 2000));
    }
    return { start, batches };
  } finally {
    await stopChild(child);
  }
}

/** Runs `options.coldStart` starts one after the other; the last one also measures its warm-up. */
export async function runColdStarts(
  options: BenchOptions,
  upstreamUrl: string,
  keys: Keys,
  deadlineAt: number,
): Promise<ColdStartReport> {
  if (!existsSync(path.join(repoRoot, 'core', 'dist', 'cli', 'main.js'))) {
    throw new Error('--cold-start runs the gateway from dist: run `npm run build` (or `npx tsc -b`) first');
  }
  const starts: ColdStart[] = [];
  let batches: WarmupBatch[] = [];
  for (let i = 0; i < options.coldStart; i++) {
    const last = i === options.coldStart - 1;
    const measured = await oneStart(i, options, upstreamUrl, keys, last, deadlineAt);
    starts.push(measured.start);
    if (last) batches = measured.batches;
  }
  return {
    starts,
    medianFirstAnswerMs: median(starts.map((start) => start.firstAnswerMs)),
    medianListeningMs: median(starts.map((start) => start.listeningMs)),
    medianIdleRssBytes: median(starts.map((start) => start.idleRssBytes)),
    batches,
  };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function formatColdStart(report: ColdStartReport): string {
  const lines = [
    `cold start (switchyard start from dist, plugins claude, gemini, openai; ${report.starts.length} starts):`,
    `  first relayed answer ${report.medianFirstAnswerMs.toFixed(0)} ms after the spawn (median; ` +
      `${report.starts.map((start) => start.firstAnswerMs.toFixed(0)).join(', ')}), listening after ${report.medianListeningMs.toFixed(0)} ms; target <= 1500 ms`,
    `  RSS idle after start ${mb(report.medianIdleRssBytes)} (median), after the first answer ` +
      `${report.starts.map((start) => mb(start.afterFirstRssBytes)).join(', ')}`,
  ];
  if (report.batches.length > 0) {
    lines.push('  gateway CPU ms per streamed request, by batch after the start:');
    for (const batch of report.batches)
      lines.push(
        `    requests ${String(batch.after + 1).padStart(5)}-${String(batch.after + batch.requests).padEnd(5)}  ${batch.cpuMsPerRequest.toFixed(3)}`,
      );
  }
  return lines.join('\n');
}
