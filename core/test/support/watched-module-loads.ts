/**
 * Runs a script in a child process whose module resolution is watched, for tests that a
 * module is not loaded until it is needed (this process has loaded everything already).
 * The script gets `mark(name)`: it resolves once every URL resolved before it has reached
 * the script's thread and returns those URLs (messages keep their order), so a script
 * can split what was loaded into steps. It prints one JSON line, which is returned.
 */
import { spawn } from 'node:child_process';

/** Posts every resolved URL to the main thread; `data:` URLs mark a point in the sequence. */
const HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

const PRELUDE = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = [];
const waiters = new Map();
port1.on('message', (url) => { seen.push(url); waiters.get(url)?.(); });
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), { data: { port: port2 }, transferList: [port2] });
const mark = async (name) => {
  const url = 'data:text/javascript,' + encodeURIComponent('export default ' + JSON.stringify(name));
  const arrived = new Promise((done) => waiters.set(url, done));
  await import(url);
  await arrived;
  return seen.splice(0);
};
const print = (result) => { process.stdout.write(JSON.stringify(result) + '\\n'); port1.close(); };
`;

/**
 * Runs `body` (an ES module body that may call `mark(name)` and must end with
 * `print(result)`) from the sources through tsx and returns what it printed.
 *
 * @throws Error when the child exits with a non-zero status or prints no JSON.
 */
export async function runWithWatchedLoads<T>(body: string): Promise<T> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions', 'switchyard-src', '--input-type=module', '-e', PRELUDE + body],
    { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    const code = await new Promise((done) => child.once('exit', done));
    if (code !== 0) throw new Error(`the watched script exited with status ${String(code)}`);
    return JSON.parse(output) as T;
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
