/**
 * Starts the real Claude Code Router (`@musistudio/claude-code-router`, its `ccr start`
 * CLI, which serves in the foreground) for the tests: a free port on 127.0.0.1, its
 * config in a temporary HOME (`~/.claude-code-router/config.json`, where the router reads
 * it), one OpenAI-compatible provider, logs off. Stopped by the process id it started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { waitFor } from '@switchyard/core/testing';

/** A running router. */
export interface RealRouter {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What it printed (stdout and stderr), for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

/** What the router is configured with. */
export interface RealRouterConfig {
  /** The router's own key (`APIKEY`): clients must send it. */
  apiKey: string;
  /** The provider's name in `provider,model` routes. */
  provider: string;
  /** The provider's chat completions URL and key, and its models. */
  providerUrl: string;
  providerKey: string;
  models: readonly string[];
}

/** The router CLI's path, from the installed package's `bin`. */
export function routerCliPath(): string {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@musistudio/claude-code-router/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { ccr: string } };
  return join(dirname(manifestPath), manifest.bin.ccr);
}

/** A port nothing listens on now (the kernel's pick, released at once). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`);
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts the router and resolves once it answers `/health`. */
export async function startRealRouter(config: RealRouterConfig): Promise<RealRouter> {
  const home = mkdtempSync(join(tmpdir(), 'switchyard-ccr-'));
  const port = await freePort();
  mkdirSync(join(home, '.claude-code-router'));
  const routerConfig = {
    APIKEY: config.apiKey,
    HOST: '127.0.0.1',
    PORT: port,
    LOG: false,
    NON_INTERACTIVE_MODE: true,
    Providers: [{ name: config.provider, api_base_url: config.providerUrl, api_key: config.providerKey, models: config.models }],
    Router: { default: `${config.provider},${config.models[0]}` },
  };
  writeFileSync(join(home, '.claude-code-router', 'config.json'), JSON.stringify(routerConfig, null, 2));
  let printed = '';
  const child: ChildProcess = spawn(process.execPath, [routerCliPath(), 'start'], {
    cwd: home,
    env: { PATH: process.env.PATH ?? '', HOME: home, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => child.exitCode === null && (await healthy(url)), {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'Claude Code Router to answer /health',
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}; it printed: ${printed.slice(0, 2000)}`, { cause: error });
  }
  return { url, output: () => printed, stop };
}
