/**
 * SIGHUP: the config file's declared keys, accounts and groups reloaded into a running
 * gateway. In-process through `gateway.reload()` (what the signal handler calls), and once
 * with a real SIGHUP sent to `switchyard start` in a child process.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway, type Gateway } from '@switchyard/core';
import { sendRequest, startFakeUpstream, waitFor, type FakeUpstream } from '@switchyard/core/testing';
import { loadConfig } from '../../src/config/load-config.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';

const KEY_A = 'reload-key-alpha-0123456789';
const KEY_B = 'reload-key-bravo-0123456789';
const ENCRYPTION_KEY = 'reload-test-encryption-key-0123456789';

describe('reloading the declared records (SIGHUP)', () => {
  let dir: string;
  let file: string;
  let upstream: FakeUpstream;
  let gateway: Gateway;
  let url: string;
  const logs: Record<string, unknown>[] = [];
  /** Holds a streaming answer after its first frame until the test releases it. */
  let release: () => void = () => {};

  const writeConfig = (declared: Record<string, unknown>) =>
    writeFileSync(
      file,
      JSON.stringify({
        plugins: [],
        store: { type: 'embedded', path: ':memory:' },
        security: { encryptionKey: ENCRYPTION_KEY },
        ...declared,
      }),
    );
  const account = (name: string) => ({
    id: 'up',
    type: 'tick-upstream',
    name,
    credentials: { token: 'tick-upstream-token', baseUrl: upstream.url },
  });
  const tick = (key: string, body: Record<string, unknown> = {}, onChunk?: (chunk: Buffer) => void) =>
    sendRequest(`${url}/tick/v1/ticks`, {
      headers: { 'x-api-key': key },
      body: { model: 'tick-1', ...body },
      ...(onChunk ? { onChunk } : {}),
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-reload-'));
    file = join(dir, 'switchyard.config.json');
    upstream = await startFakeUpstream(async (req, res) => {
      const body = req.json<{ stream?: boolean }>();
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ticks: 1, usage: { in: 1, out: 1 } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify({ n: 1 })}\n\n`);
      await new Promise<void>((done) => (release = done));
      res.end(`data: ${JSON.stringify({ n: 2 })}\n\ndata: ${JSON.stringify({ usage: { in: 1, out: 2 } })}\n\n`);
    });
    writeConfig({ keys: [{ name: 'alpha', key: KEY_A }], accounts: [account('Up')], groups: [{ id: 'team', name: 'Team' }] });
    const loaded = await loadConfig({ file, env: {}, cwd: dir });
    logs.length = 0;
    gateway = await createGateway({
      config: loaded.config,
      configDir: loaded.dir,
      configFile: file,
      env: {},
      plugins: [tickPlugin],
      logSink: (entry) => logs.push(entry),
      print: () => {},
    });
    url = await gateway.listen(0, '127.0.0.1');
  });

  afterEach(async () => {
    release();
    await gateway.close();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies an added key and refuses a removed one, without a restart', async () => {
    expect((await tick(KEY_A)).status).to.equal(200);
    expect((await tick(KEY_B)).status).to.equal(401);

    writeConfig({ keys: [{ name: 'bravo', key: KEY_B }], accounts: [account('Up renamed')], groups: [] });
    const outcome = await gateway.reload();

    expect(outcome.ok).to.equal(true);
    if (!outcome.ok) return;
    expect(outcome.report.keys).to.include({ created: 1, disabled: 1 });
    expect(outcome.report.accounts).to.include({ updated: 1 });
    expect(outcome.report.groups).to.include({ deleted: 1 });
    expect(outcome.needsRestart).to.deep.equal([]);
    expect((await tick(KEY_B)).status).to.equal(200);
    expect((await tick(KEY_A)).status).to.equal(401);
    expect((await gateway.store.accounts.get('up'))?.name).to.equal('Up renamed');
    expect(await gateway.store.groups.list()).to.deep.equal([]);
    expect(logs.some((line) => line['message'] === 'config reloaded')).to.equal(true);
    // The declared keys' secrets are never logged.
    expect(JSON.stringify(logs)).not.to.contain(KEY_B).and.not.to.contain(KEY_A);
  });

  it('leaves everything as it was when the file is invalid, and says why', async () => {
    const before = JSON.stringify([await gateway.store.keys.list(), await gateway.store.accounts.list()]);

    writeFileSync(file, '{ "keys": [ { "name": "bravo", "key": ');
    const unreadable = await gateway.reload();
    writeConfig({
      keys: [
        { name: 'bravo', key: KEY_B },
        { name: 'bravo', key: 'reload-key-charlie-0123456789' },
      ],
    });
    const twice = await gateway.reload();
    writeConfig({ keys: [{ name: 'bravo', key: 'short' }] });
    const short = await gateway.reload();
    // Valid as a file, refused when applied (no plugin offers the type): checked before any write.
    writeConfig({ keys: [{ name: 'bravo', key: KEY_B }], accounts: [{ ...account('Up'), type: 'no-such-type' }] });
    const invalid = await gateway.reload();

    expect([unreadable.ok, short.ok, invalid.ok]).to.deep.equal([false, false, false]);
    expect(twice).to.deep.equal({ ok: false, problems: ['keys[1].name: duplicate key name "bravo" (also keys[0])'] });
    if (!short.ok) expect(short.problems.join('\n')).to.contain('keys[0].key');
    if (!invalid.ok) expect(invalid.problems.join('\n')).to.contain('accounts[0]').and.to.contain('no-such-type');
    expect(JSON.stringify([await gateway.store.keys.list(), await gateway.store.accounts.list()])).to.equal(before);
    expect((await tick(KEY_A)).status).to.equal(200);
    expect((await tick(KEY_B)).status).to.equal(401);
    const failures = logs.filter(
      (line) => line['level'] === 'error' && String(line['message']).startsWith('config reload failed'),
    );
    expect(failures).to.have.length(4);
    expect(failures[0]!['message']).to.equal('config reload failed; nothing was changed');
  });

  it('lets a request in flight finish with the key it was admitted with, and names sections that need a restart', async () => {
    let reloaded: Promise<unknown> | undefined;
    writeConfig({
      keys: [{ name: 'bravo', key: KEY_B }],
      accounts: [account('Up')],
      groups: [{ id: 'team', name: 'Team' }],
      server: { bodyLimitMb: 5 },
    });
    const streamed = await tick(KEY_A, { stream: true }, () => {
      // The first frame is out: remove the key now, then let the answer finish.
      reloaded ??= gateway.reload().then((outcome) => (release(), outcome));
    });

    expect(streamed.status).to.equal(200);
    expect(streamed.body.toString()).to.contain('"n":2').and.to.contain('"usage"');
    const outcome = (await reloaded) as Awaited<ReturnType<Gateway['reload']>>;
    expect(outcome.ok && outcome.needsRestart).to.deep.equal(['server']);
    expect((await tick(KEY_A)).status).to.equal(401);
    expect(logs.some((line) => line['message'] === 'config sections changed that take effect at the next restart')).to.equal(
      true,
    );
  });
});

describe('SIGHUP to switchyard start', () => {
  it('reloads the config file in the running process', async function () {
    this.timeout(90_000);
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-sighup-'));
    const file = join(dir, 'switchyard.config.json');
    const plugin = fileURLToPath(new URL('../fixtures/tick-plugin.ts', import.meta.url));
    const main = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const write = (keys: unknown[]) =>
      writeFileSync(
        file,
        JSON.stringify({
          plugins: [{ path: plugin }],
          store: { type: 'embedded', path: ':memory:' },
          server: { port: 0, host: '127.0.0.1' },
          security: { encryptionKey: ENCRYPTION_KEY },
          keys,
        }),
      );
    write([{ name: 'alpha', key: KEY_A }]);
    const script = `import { main } from ${JSON.stringify(main)}; process.exitCode = await main(['start', '--config', ${JSON.stringify(file)}]);`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions', 'switchyard-src', '--input-type=module', '-e', script],
      {
        // From the repository (where tsx resolves); the config file is given by its absolute path.
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = await waitFor(() => /Switchyard listening on (\S+)/.exec(output)?.[1], {
        timeoutMs: 60_000,
        what: 'the gateway to listen',
      });
      const ask = (key: string) =>
        sendRequest(`${base}/tick/v1/ticks`, { headers: { 'x-api-key': key }, body: { model: 'tick-1' } }).then(
          (res) => res.status,
        );
      // No account serves tick-1: a known key gets 404, an unknown one 401.
      expect(await ask(KEY_B)).to.equal(401);

      write([{ name: 'bravo', key: KEY_B }]);
      child.kill('SIGHUP');
      await waitFor(() => output.includes('"message":"config reloaded"'), { timeoutMs: 20_000, what: 'the reload' });

      expect(await ask(KEY_B)).to.equal(404);
      expect(await ask(KEY_A)).to.equal(401);
      expect(child.exitCode).to.equal(null);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
