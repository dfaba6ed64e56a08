/**
 * Tracing and log files cost nothing when they are not configured: a gateway without
 * `tracing` and `logging.file` never loads the OpenTelemetry SDK or the rotation library.
 * Checked in a child process (this one has loaded them already) whose module resolution
 * is watched by a loader hook; the same child then starts a gateway with both configured,
 * so the watch is shown to see them.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWithWatchedLoads } from '../support/watched-module-loads.js';

const OPTIONAL =
  /@opentelemetry\/(sdk-trace|exporter-trace-otlp-http|resources|otlp-)|winston-daily-rotate-file|file-stream-rotator/;

describe('optional dependencies', () => {
  it('are not loaded by a gateway that does not use them', async function () {
    this.timeout(90_000);
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-optional-'));
    const core = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
    try {
      const result = await runWithWatchedLoads<{ withoutOptions: string[]; withOptions: string[] }>(`
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
      print({ withoutOptions, withOptions });
    `);
      const { withoutOptions, withOptions } = result;
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
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
