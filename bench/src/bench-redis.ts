/**
 * The bench's own redis-server (`--store redis`): spawned on a free 127.0.0.1 port with no
 * persistence, stopped at the end of the run; and what it reports about a measured
 * phase: commands per type (`INFO commandstats`), read events (`total_reads_processed`,
 * the round trips clients made) and its CPU time (`INFO cpu`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Counters of the server at one moment. */
export interface RedisSnapshot {
  /** Calls per command name (lower case; `evalsha`, `hget`, …). */
  calls: Record<string, number>;
  /** Socket read events the server processed: one per batch a client sent (a command, a pipeline, a MULTI block). */
  reads: number;
  /** used_cpu_user + used_cpu_sys, seconds (main thread and its helpers). */
  cpuS: number;
}

/** A phase's share of the server's work, per request. */
export interface RedisPhaseStats {
  commandsPerRequest: number;
  roundTripsPerRequest: number;
  /** Redis CPU per request, milliseconds. */
  cpuMsPerRequest: number;
  /** Commands per request by name, most frequent first. */
  byCommand: [string, number][];
}

export interface BenchRedis {
  readonly url: string;
  snapshot(): Promise<RedisSnapshot>;
  /** Used memory (INFO memory used_memory), bytes. */
  usedMemory(): Promise<number>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function infoFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Starts `redis-server` (no RDB, no AOF) and waits until it answers PING (at most 10 s). */
export async function startBenchRedis(): Promise<BenchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'switchyard-bench-redis-'));
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', ''],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // Refused connections while the server starts are retried below; nothing to report.
  client.on('error', () => {});
  let connected = false;
  for (let attempt = 0; attempt < 100 && !connected; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    try {
      await client.connect();
      await client.ping();
      connected = true;
    } catch {
      client.disconnect();
      await sleep(100);
    }
  }
  if (!connected) {
    child.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer within 10 s`);
  }
  return {
    url,
    async snapshot() {
      // One command (Redis 7 takes several sections), so one read event of the bench's own per snapshot.
      const fields = infoFields((await client.call('info', 'commandstats', 'stats', 'cpu')) as string);
      const calls: Record<string, number> = {};
      for (const [name, value] of fields) {
        const count = /calls=(\d+)/.exec(value)?.[1];
        if (name.startsWith('cmdstat_') && count) calls[name.slice('cmdstat_'.length)] = Number(count);
      }
      return {
        calls,
        reads: Number(fields.get('total_reads_processed') ?? Number.NaN),
        cpuS: Number(fields.get('used_cpu_user') ?? 0) + Number(fields.get('used_cpu_sys') ?? 0),
      };
    },
    async usedMemory() {
      return Number(infoFields(await client.info('memory')).get('used_memory') ?? Number.NaN);
    },
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The difference between two snapshots per request. The bench's own INFO call (one
 * command and one read per snapshot) is taken out.
 */
export function redisPhaseStats(before: RedisSnapshot, after: RedisSnapshot, requests: number): RedisPhaseStats {
  const own = new Set(['info']);
  const byCommand: [string, number][] = [];
  let commands = 0;
  for (const [name, count] of Object.entries(after.calls)) {
    if (own.has(name)) continue;
    const delta = count - (before.calls[name] ?? 0);
    if (delta <= 0) continue;
    commands += delta;
    byCommand.push([name, delta / requests]);
  }
  byCommand.sort((a, b) => b[1] - a[1]);
  return {
    commandsPerRequest: commands / requests,
    roundTripsPerRequest: (after.reads - before.reads - 1) / requests,
    cpuMsPerRequest: ((after.cpuS - before.cpuS) * 1000) / requests,
    byCommand,
  };
}

/** Sums phase stats weighted by requests. */
export function mergeRedisStats(parts: { stats: RedisPhaseStats; requests: number }[]): RedisPhaseStats | undefined {
  const total = parts.reduce((sum, part) => sum + part.requests, 0);
  if (parts.length === 0 || total === 0) return undefined;
  const weighted = (pick: (stats: RedisPhaseStats) => number) =>
    parts.reduce((sum, part) => sum + pick(part.stats) * part.requests, 0) / total;
  const byName = new Map<string, number>();
  for (const part of parts)
    for (const [name, perRequest] of part.stats.byCommand)
      byName.set(name, (byName.get(name) ?? 0) + (perRequest * part.requests) / total);
  return {
    commandsPerRequest: weighted((stats) => stats.commandsPerRequest),
    roundTripsPerRequest: weighted((stats) => stats.roundTripsPerRequest),
    cpuMsPerRequest: weighted((stats) => stats.cpuMsPerRequest),
    byCommand: [...byName.entries()].sort((a, b) => b[1] - a[1]),
  };
}
