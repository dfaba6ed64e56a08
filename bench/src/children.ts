/**
 * Starts the bench's helper processes (fake upstream, gateway) with an IPC channel and
 * talks to them with request/reply messages, every wait bounded by a timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildHandle {
  readonly name: string;
  readonly process: ChildProcess;
  /** The `ready` message the child sent. */
  readonly ready: Record<string, unknown>;
  /** Sends `{ ...fields, type }` and resolves with the first message of the same type the child sends back. */
  ask<T = Record<string, unknown>>(type: string, timeoutMs?: number, fields?: Record<string, unknown>): Promise<T>;
  /** The last lines the child wrote to stdout and stderr (for diagnostics). */
  output(): string;
  /** Asks the child to stop; kills it if it has not exited within the timeout. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface StartChildOptions {
  name: string;
  cwd: string;
  /** Arguments to `node` (flags, then the script). */
  nodeArgs: string[];
  env: Record<string, string>;
  readyTimeoutMs: number;
}

const OUTPUT_LIMIT = 16 * 1024;

export function startChild(options: StartChildOptions): Promise<ChildHandle> {
  const child = spawn(process.execPath, options.nodeArgs, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = child.exitCode !== null;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
  });

  const waitFor = <T>(type: string, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
      };
      const onMessage = (message: { type?: string; message?: string; stack?: string }) => {
        if (message.type === type) {
          cleanup();
          resolve(message as T);
        } else if (message.type === 'error') {
          cleanup();
          reject(new Error(`${options.name} failed: ${message.stack ?? message.message}`));
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(new Error(`${options.name} exited (code ${code}, signal ${signal}) while waiting for '${type}'`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${options.name}: no '${type}' within ${timeoutMs} ms`));
      }, timeoutMs);
      child.on('message', onMessage);
      child.once('exit', onExit);
    });

  const handle = (ready: Record<string, unknown>): ChildHandle => ({
    name: options.name,
    process: child,
    ready,
    ask<T>(type: string, timeoutMs = 10_000, fields: Record<string, unknown> = {}) {
      const reply = waitFor<T>(type, timeoutMs);
      child.send({ ...fields, type });
      return reply;
    },
    output: () => output,
    async stop(timeoutMs = 15_000) {
      if (exited) return;
      // A child exiting on its own (fixture-child.ts) may close the channel as this is sent: not an error.
      if (child.connected) child.send({ type: 'stop' }, () => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exit;
      clearTimeout(timer);
    },
  });

  return waitFor<Record<string, unknown>>('ready', options.readyTimeoutMs).then(handle, (error: Error) => {
    child.kill('SIGKILL');
    const tail = output.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${error.message}${tail ? `\n--- ${options.name} output ---\n${tail}` : ''}`);
  });
}
