/**
 * A Redis for tests: the one named by `REDIS_URL`, or a throwaway `redis-server` spawned
 * on a free local port. Never skips silently: without either, it throws.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** A Redis a test suite may use; keys go under `prefix`, unique per call. */
export interface TestRedis {
  /** Connection URL. */
  readonly url: string;
  /** A key prefix no other caller got (`switchyard-test:<random>:`). */
  readonly prefix: string;
  /** Stops the spawned server (when this was its last user), or deletes `prefix*` keys on a `REDIS_URL` server. */
  stop(): Promise<void>;
}

interface Spawned {
  url: string;
  child: ChildProcess;
  dir: string;
  users: number;
  /** Kills the server if the test process exits without calling `stop()`. */
  onExit: () => void;
}

let shared: Promise<Spawned> | undefined;

/**
 * Gives a test suite a Redis: `REDIS_URL` when set, otherwise a `redis-server` spawned
 * with `--save '' --appendonly no` on a free port (shared by the suites of this process
 * and stopped when the last one calls `stop()`).
 *
 * @example
 * ```ts
 * let redis: TestRedis;
 * before(async () => { redis = await startRedisForTests(); });
 * after(async () => { await redis.stop(); });
 * ```
 * @throws Error when `REDIS_URL` is unset and `redis-server` is not on PATH.
 */
export async function startRedisForTests(): Promise<TestRedis> {
  const prefix = `switchyard-test:${randomBytes(6).toString('hex')}:`;
  const external = process.env.REDIS_URL;
  if (external !== undefined && external !== '') {
    return { url: external, prefix, stop: () => deleteByPrefix(external, prefix) };
  }
  shared ??= spawnRedis().catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
  const server = await shared;
  server.users++;
  let stopped = false;
  return {
    url: server.url,
    prefix,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (--server.users > 0) return;
      shared = undefined;
      await killRedis(server);
    },
  };
}

/** A Redis of a test's own that the test can kill and start again (see {@link startRestartableRedis}). */
export interface RestartableRedis extends TestRedis {
  /** Kills the server with SIGKILL (no shutdown, as a crash or a lost host would) and waits for it to exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port with the same data (appended to disk on every write) and waits for PING. */
  restart(): Promise<void>;
  /**
   * Stops the server with SIGSTOP, as a hung server or a host gone without closing TCP
   * would: connections stay open (the kernel even accepts new ones), nothing answers.
   */
  freeze(): void;
  /** Lets a frozen server run again (SIGCONT); a no-op when it is not frozen or not running. */
  thaw(): void;
}

/**
 * A `redis-server` of the caller's own (never shared, never `REDIS_URL`) on a free port,
 * for tests of store outages: `kill()` takes it down, `restart()` brings it back on the
 * same port with its data (append-only file written on every command, so a kill loses
 * nothing); `freeze()` and `thaw()` stop and resume it (SIGSTOP, SIGCONT) with its
 * connections open. `stop()` kills it and removes its folder.
 *
 * @example
 * ```ts
 * const redis = await startRestartableRedis();
 * await redis.kill();   // the gateway now sees an outage
 * await redis.restart();
 * await redis.stop();
 * ```
 */
export async function startRestartableRedis(): Promise<RestartableRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-own-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--dir',
    dir,
  ];
  let child: ChildProcess | undefined;
  const onExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const kill = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGKILL');
    await exited;
  };
  const start = async (): Promise<void> => {
    if (child) throw new Error('this test redis is already running');
    const started = spawn('redis-server', [...args, '--logfile', join(dir, 'redis.log')], { stdio: 'ignore' });
    child = started;
    started.unref();
    const failed = new Promise<Error>((resolve) => {
      started.once('error', resolve);
      started.once('exit', (code) => resolve(new Error(`redis-server exited with code ${code} before answering PING`)));
    });
    const outcome = await Promise.race([waitForPing(port).then(() => undefined), failed]);
    if (outcome instanceof Error) {
      await kill();
      throw outcome;
    }
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    prefix: `switchyard-test:${randomBytes(6).toString('hex')}:`,
    kill,
    restart: start,
    freeze: () => {
      if (!child || child.exitCode !== null || child.signalCode !== null) throw new Error('this test redis is not running');
      child.kill('SIGSTOP');
    },
    thaw: () => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGCONT');
    },
    stop: async () => {
      await kill();
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function spawnRedis(): Promise<Spawned> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
  const logFile = join(dir, 'redis.log');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--logfile',
    logFile,
  ];
  // Logs go to a file, not a pipe: an open pipe would keep the test process alive.
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  const output = (): string => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000);
    } catch {
      return '(no log)';
    }
  };
  const spawnError = new Promise<Error>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      resolve(
        err.code === 'ENOENT'
          ? new Error(
              'redis-server is not on PATH and REDIS_URL is unset: install redis-server (apt-get install -y redis-server) or set REDIS_URL',
            )
          : err,
      );
    });
    child.once('exit', (code) => resolve(new Error(`redis-server exited with code ${code} before answering PING:\n${output()}`)));
  });
  const onExit = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const server: Spawned = { url: `redis://127.0.0.1:${port}`, child, dir, users: 0, onExit };
  const outcome = await Promise.race([waitForPing(port).then(() => undefined), spawnError]);
  if (outcome instanceof Error) {
    await killRedis(server);
    throw outcome;
  }
  child.unref();
  return server;
}

async function waitForPing(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => {});
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function killRedis(server: Spawned): Promise<void> {
  const { child } = server;
  process.removeListener('exit', server.onExit);
  if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  rmSync(server.dir, { recursive: true, force: true });
}

async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  try {
    await client.connect();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

/** A TCP port free right now on 127.0.0.1 (listen on 0, read it, close). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
