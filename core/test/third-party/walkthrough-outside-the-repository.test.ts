/**
 * docs/plugins.md's walk-through, done for real outside the repository: the plugin of
 * docs/third-party-plugin/ is copied to a temporary folder, gets @switchyard/plugin-api and
 * @switchyard/core through `file:` links installed by npm (offline: links need no
 * registry), is compiled, passes the conformance suite under its own copy of mocha, and
 * is loaded by `switchyard start` through `"plugins": ["auto", "../my-plugin"]`.
 *
 * What an author installs from the registry (mocha, typescript, @types/node) is taken
 * from this repository instead, so the test runs offline: mocha is copied (a second copy
 * at another path, as the author's own would be), the compiler is run from here, and the
 * Node types are linked.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, lstat, mkdir, mkdtemp, readFile, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sendRequest, startFakeUpstream, type FakeUpstream } from '../../src/testing/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TEMPLATE = join(REPO, 'docs/third-party-plugin');

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to its end, collecting stdout and stderr. */
function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** This process's environment without what the repository's mocha run adds (tsx, source conditions). */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

interface LockPackage {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/**
 * The lock-file keys (`node_modules/a`, `node_modules/a/node_modules/b`) of `name` and
 * everything it depends on, resolved the way Node does (nearest node_modules first).
 */
function dependencyClosure(packages: Record<string, LockPackage>, name: string): string[] {
  const found = new Set<string>();
  const visit = (key: string): void => {
    if (found.has(key)) return;
    found.add(key);
    const entry = packages[key] ?? {};
    for (const dependency of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
      let base = key;
      for (;;) {
        const candidate = `${base}/node_modules/${dependency}`;
        if (packages[candidate]) {
          visit(candidate);
          break;
        }
        const cut = base.lastIndexOf('/node_modules/');
        if (cut < 0) {
          if (packages[`node_modules/${dependency}`]) visit(`node_modules/${dependency}`);
          break;
        }
        base = base.slice(0, cut);
      }
    }
  };
  visit(`node_modules/${name}`);
  return [...found];
}

/** Copies an installed package and its dependencies from the repository into `target`/node_modules. */
async function copyInstalled(name: string, target: string): Promise<void> {
  const lock = JSON.parse(await readFile(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockPackage> };
  for (const key of dependencyClosure(lock.packages, name)) {
    const from = join(REPO, key);
    if (!(await lstat(from).catch(() => undefined))) continue; // an optional dependency of another platform
    await cp(from, join(target, key), { recursive: true, dereference: true });
  }
}

/** Starts `switchyard start` and resolves with its URL once it listens. */
function startGateway(
  config: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'core/bin/switchyard.js'), 'start', '--config', config], {
      cwd: REPO,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`the gateway did not start within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const listening = /Switchyard listening on (http:\/\/\S+)/.exec(output);
      if (listening) {
        clearTimeout(timer);
        resolve({ child, url: listening[1]!, output: () => output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited with ${code}:\n${output}`));
    });
  });
}

describe('docs/plugins.md walk-through: a plugin outside the repository', function () {
  this.timeout(240_000);
  let root: string;
  let plugin: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  before(async () => {
    root = await mkdtemp(join(os.tmpdir(), 'switchyard-walkthrough-'));
    plugin = join(root, 'my-plugin');
    for (const part of ['my-plugin/package.json', 'my-plugin/tsconfig.json', 'my-plugin/src', 'my-plugin/test', 'gateway']) {
      await cp(join(TEMPLATE, part), join(root, part), { recursive: true });
    }
    // The walk-through's checkout sits next to the plugin (`file:../switchyard/...`); here it is this repository.
    const manifest = (await readFile(join(plugin, 'package.json'), 'utf8')).replaceAll('file:../switchyard/', `file:${REPO}`);
    await writeFile(join(plugin, 'package.json'), manifest);
  });
  after(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  });

  it("installs the file: links with npm, offline, with nothing of the core's dependencies (no native build)", async () => {
    const manifest = JSON.parse(await readFile(join(plugin, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.devDependencies)).to.include.members(['@switchyard/core', '@switchyard/plugin-api']);
    // Install only the links (the registry packages come from the repository below), then restore the manifest.
    const links = Object.fromEntries(Object.entries(manifest.devDependencies).filter(([, spec]) => spec.startsWith('file:')));
    const original = await readFile(join(plugin, 'package.json'), 'utf8');
    await writeFile(join(plugin, 'package.json'), JSON.stringify({ ...manifest, devDependencies: links }, null, 2));
    const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], plugin);
    await writeFile(join(plugin, 'package.json'), original);
    expect(install.code, install.output).to.equal(0);

    const installed = (await readdir(join(plugin, 'node_modules'))).filter((name) => !name.startsWith('.'));
    expect(installed, 'only the two links, none of the core dependencies (better-sqlite3, ioredis, koa)').to.deep.equal([
      '@switchyard',
    ]);
    expect((await readdir(join(plugin, 'node_modules/@switchyard'))).sort()).to.deep.equal(['core', 'plugin-api']);
    for (const [name, dir] of [
      ['core', 'core'],
      ['plugin-api', 'core/plugin-api'],
    ] as const) {
      const link = join(plugin, 'node_modules/@switchyard', name);
      expect((await lstat(link)).isSymbolicLink(), `${name} is a link`).to.equal(true);
      expect(await realpath(link)).to.equal(await realpath(join(REPO, dir)));
    }
  });

  it('compiles against the linked packages and passes the conformance suite under its own mocha', async () => {
    await copyInstalled('mocha', plugin);
    await mkdir(join(plugin, 'node_modules/@types'), { recursive: true });
    await symlink(join(REPO, 'node_modules/@types/node'), join(plugin, 'node_modules/@types/node'), 'dir');

    const compile = await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', '.'], plugin);
    expect(compile.code, compile.output).to.equal(0);

    const mocha = join(plugin, 'node_modules/mocha/bin/mocha.js');
    expect(await realpath(mocha), 'a copy of mocha of its own').not.to.equal(
      await realpath(join(REPO, 'node_modules/mocha/bin/mocha.js')),
    );
    const test = await run(process.execPath, [mocha, '--timeout', '20000', 'dist/test/**/*.test.js'], plugin);
    expect(test.code, test.output).to.equal(0);
    expect(test.output).to.match(/provider conformance: acme/);
    expect(test.output).to.match(/\d+ passing/);
    expect(test.output).not.to.match(/failing/);
  });

  it('loads into a gateway started with "plugins": ["auto", "../my-plugin"], which relays to the account', async () => {
    const fake: FakeUpstream = await startFakeUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ model: 'acme-1', output: 'hi', usage: { input_tokens: 3, output_tokens: 4 } }));
    });
    cleanups.push(() => fake.close());
    const config = join(root, 'gateway/switchyard.json');
    const gateway = await startGateway(config, {
      PORT: '0',
      ENCRYPTION_KEY: 'walkthrough-encryption-key-0123456789',
      ACME_API_KEY: 'acme-walkthrough-key-42',
      ACME_BASE_URL: fake.url,
      MY_SWITCHYARD_KEY: 'sy-walkthrough-test-key-0123456789',
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          gateway.child.once('exit', () => resolve());
          gateway.child.kill('SIGTERM');
        }),
    );

    const res = await sendRequest(`${gateway.url}/acme/v1/chat`, {
      headers: { authorization: 'Bearer sy-walkthrough-test-key-0123456789', 'content-type': 'application/json' },
      body: { model: 'acme-1', input: 'hello' },
    });
    expect(res.status, res.text()).to.equal(200);
    expect(res.json()).to.deep.include({ output: 'hi' });
    expect(fake.requests[0]?.headers.authorization).to.equal('Bearer acme-walkthrough-key-42');
    const listening = /"message":"gateway listening".*?"plugins":\[([^\]]*)\]/.exec(gateway.output());
    expect(listening?.[1], gateway.output()).to.include('"acme"');
    expect(listening?.[1], 'the discovered plugins are loaded too').to.include('"echo"');
  });
});
