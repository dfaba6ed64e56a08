/** `switchyard status` against a real test gateway: reachable, store, accounts by state, requests in flight; exit 1 when unreachable. */
import { expect } from 'chai';
import { request, type ClientRequest } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGateway, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../../examples/plugin-echo/test/fake-echo-upstream.js';
import { main } from '../../src/cli/main.js';

describe('switchyard status', function () {
  this.timeout(20_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-status-'));
    upstream = await startFakeEchoUpstream({ apiKey: 'upstream-key-123456', intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      accounts: [
        { type: 'echo-key', name: 'a', credentials: { apiKey: 'upstream-key-123456', baseUrl: upstream.url } },
        { type: 'echo-key', name: 'b', enabled: false, credentials: { apiKey: 'upstream-key-123456', baseUrl: upstream.url } },
      ],
    });
  });
  after(async () => {
    await tg?.close();
    await upstream?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    const code = await main(argv, io, { env: {}, cwd: dir });
    return { code, stdout, stderr };
  };

  it('reports a reachable gateway, its store, accounts by state and the requests in flight', async () => {
    // A request whose body is still arriving is in flight until it ends.
    const slow: ClientRequest = request(`${tg.url}/echo/v1/echo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tg.key}`, 'content-type': 'application/json', 'content-length': '100' },
    });
    slow.on('error', () => undefined);
    slow.write('{"model":');
    try {
      let out = await run('status', '--url', tg.url);
      await waitFor(async () => {
        out = await run('status', '--url', tg.url);
        return out.stdout.includes('In flight 1 requests');
      });
      expect(out.code, out.stderr).to.equal(0);
      expect(out.stdout).to.include(`Gateway   ${tg.url}: reachable, ok`);
      expect(out.stdout).to.match(/^Store {5}embedded: ok \(\d+ ms\)$/m);
      expect(out.stdout).to.match(/^Accounts {2}.*active 1.*disabled 1/m);
      const json = await run('status', '--url', tg.url, '--json');
      expect(json.code).to.equal(0);
      expect(JSON.parse(json.stdout)).to.deep.include({ reachable: true, serving: true, activeRequests: 1 });
    } finally {
      slow.destroy();
    }
  });

  it('finds the gateway from the config file, and exits 1 when nothing answers there', async () => {
    const port = Number(new URL(tg.url).port);
    const config = join(dir, 'here.json');
    await writeFile(config, JSON.stringify({ server: { host: '0.0.0.0', port } }));
    const found = await run('status', '--config', config);
    expect(found.code, found.stderr).to.equal(0);
    expect(found.stdout).to.include(`http://127.0.0.1:${port}: reachable`);

    const closedPort = await freePort();
    const gone = await run('status', '--url', `http://127.0.0.1:${closedPort}`);
    expect(gone.code).to.equal(1);
    expect(gone.stderr).to.include(`http://127.0.0.1:${closedPort}: unreachable (ECONNREFUSED)`);
    const goneJson = await run('status', '--url', `http://127.0.0.1:${closedPort}`, '--json');
    expect(goneJson.code).to.equal(1);
    expect(JSON.parse(goneJson.stdout)).to.include({ reachable: false, error: 'ECONNREFUSED' });
    expect((await run('status', '--url', 'ftp://x')).code).to.equal(2);
  });
});

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
