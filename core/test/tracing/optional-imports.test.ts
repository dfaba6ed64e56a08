/**
 * Tracing and log files cost nothing when they are not configured: a gateway without
 * `tracing` and `logging.file` never loads the OpenTelemetry SDK or the rotation library.
 * Checked in a child process (this one has loaded them already) whose module resolution
 * is watched by a loader hook; the same child then starts a gateway with both configured,
 * so the watch is shown to see them.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Posts every resolved URL to the main thread; `data:` URLs mark a point in the sequence. */
const HOOK = `
let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(result.url);
  return result;
}`;

const OPTIONAL =
  /@opentelemetry\/(sdk-trace|exporter-trace-otlp-http|resources|otlp-)|winston-daily-rotate-file|file-stream-rotator/;

describe('optional dependencies', () => {
  it('are not loaded by a gateway that does not use them', async function () {
    this.timeout(90_000);
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-optional-'));
    const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const seen = [];
      const waiters = new Map();
      port1.on('message', (url) => { seen.push(url); waiters.get(url)?.(); });
      register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), { data: { port: port2 }, transferList: [port2] });
      // Resolves once every URL resolved before it has reached this thread (messages keep their order).
      const mark = async (name) => {
        const url = 'data:text/javascript,' + encodeURIComponent('export default ' + JSON.stringify(name));
        const arrived = new Promise((done) => waiters.set(url, done));
        await import(url);
        await arrived;
        return seen.splice(0);
      };
      const { createGateway } = await import(${JSON.stringify(core)});
      const base = { plugins: [], store: { type: 'embedded', path: ':memory:' }, security: { encryptionKey: 'optional-imports-key-0123456789abcdef' } };
      const quiet = { logSink() {}, print() {} };
      const plain = await createGateway({ config: base, ...quiet });
      await plain.close();
      const withoutOptions = await mark('plain');
      const full = await createGateway({
        config: { ...base, logging: { file: { dirname: ${JSON.stringify(dir)} } }, tracing: { endpoint: 'http://127.0.0.1:9/v1/traces' } },
        ...quiet,
      });
      await full.close();
      const withOptions = await mark('full');
      process.stdout.write(JSON.stringify({ withoutOptions, withOptions }) + '\\n');
      port1.close();
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions', 'switchyard-src', '--input-type=module', '-e', script],
      {
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const code = await new Promise((done) => child.once('exit', done));
      expect(code).to.equal(0);
      const { withoutOptions, withOptions } = JSON.parse(output) as { withoutOptions: string[]; withOptions: string[] };
      expect(withoutOptions.some((url) => url.includes('/core/src/gateway.ts'))).to.equal(true);
      expect(withoutOptions.filter((url) => OPTIONAL.test(url))).to.deep.equal([]);
      for (const name of [
        '@opentelemetry/sdk-trace-base',
        '@opentelemetry/exporter-trace-otlp-http',
        'winston-daily-rotate-file',
      ]) {
        expect(
          withOptions.some((url) => url.includes(`/node_modules/${name}/`)),
          name,
        ).to.equal(true);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
