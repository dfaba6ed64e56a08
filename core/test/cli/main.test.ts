import { expect } from 'chai';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { createStore } from '../../src/store/create-store.js';
import { verifyPassword } from '../../src/auth/password-hash.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('switchyard CLI', () => {
  let dir: string;
  let configFile: string;

  const run = async (...argv: string[]): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const io = { stdout: (text: string) => void (stdout += text), stderr: (text: string) => void (stderr += text) };
    const code = await main(argv, io, { env: {}, cwd: dir });
    return { code, stdout, stderr };
  };
  const withStore = async <T>(action: (store: Awaited<ReturnType<typeof createStore>>) => Promise<T>): Promise<T> => {
    const store = await createStore({ type: 'embedded', path: join(dir, 'data') });
    try {
      return await action(store);
    } finally {
      await store.close();
    }
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
    configFile = join(dir, 'switchyard.config.json');
    await writeFile(
      configFile,
      JSON.stringify({ store: { type: 'embedded', path: './data' }, security: { encryptionKey: 'e'.repeat(40) } }),
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints help, and exits 2 on usage errors', async () => {
    const help = await run('help');
    expect(help.code).to.equal(0);
    expect(help.stdout).to.include('Usage: switchyard');
    expect((await run()).code).to.equal(2);
    const unknown = await run('frobnicate');
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown command "frobnicate"');
    expect((await run('keys')).code).to.equal(2);
    expect((await run('keys', 'create', '--config', configFile)).code).to.equal(2);
    expect((await run('keys', 'create', '--name', 'x', '--limits', '[1]', '--config', configFile)).code).to.equal(2);
    expect((await run('keys', 'create', '--name', 'x', '--expires', 'soon', '--config', configFile)).code).to.equal(2);
    expect((await run('keys', 'list', '--bogus')).code).to.equal(2);
    expect((await run('keys', 'revoke', '--config', configFile)).code).to.equal(2);
    expect((await run('admin', 'reset-password', '--password', 'short')).code).to.equal(2);
  });

  it('creates a key, printing its secret once, then lists and revokes it', async () => {
    const created = await run(
      'keys',
      'create',
      '--name',
      'ci',
      '--tags',
      'a, b',
      '--limits',
      '{"concurrency":5}',
      '--expires',
      '2030-01-01T00:00:00Z',
      '--config',
      configFile,
    );
    expect(created.code, created.stderr).to.equal(0);
    const plaintext = created.stdout.trim();
    expect(plaintext).to.match(/^sy_[0-9a-f]{64}$/);
    const id = /Created key (key_[a-z2-7]{12})/.exec(created.stderr)?.[1];
    expect(id).to.be.a('string');
    const record = await withStore((store) => store.keys.get(id!));
    expect(record).to.include({ name: 'ci', source: 'cli', expiresAt: '2030-01-01T00:00:00.000Z' });
    expect(record?.tags).to.deep.equal(['a', 'b']);
    expect(record?.limits).to.deep.equal({ concurrency: 5 });

    const listed = await run('keys', 'list', '--config', configFile);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.match(/^ID\s+NAME\s+HINT\s+ENABLED\s+SOURCE\s+CREATED/);
    expect(listed.stdout).to.include(id!);
    expect(listed.stdout).to.include(record!.hint);
    expect(listed.stdout).not.to.include(plaintext);
    const json = JSON.parse((await run('keys', 'list', '--json', '--config', configFile)).stdout) as { id: string }[];
    expect(json.map((row) => row.id)).to.deep.equal([id]);

    expect((await run('keys', 'revoke', id!, '--config', configFile)).code).to.equal(0);
    const again = await run('keys', 'revoke', id!, '--config', configFile);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.include('no key with id');
    expect((await run('keys', 'list', '--config', configFile)).stdout).to.equal('No keys.\n');
  });

  it('resets an admin password, printing a generated one only', async () => {
    const generated = await run('admin', 'reset-password', '--config', configFile);
    expect(generated.code).to.equal(0);
    const password = generated.stdout.trim();
    expect(password).to.have.length(24);
    const admin = await withStore((store) => store.users.get('admin'));
    expect(await verifyPassword(password, admin!.passwordHash!)).to.equal(true);

    const chosen = await run('admin', 'reset-password', '--password', 'chosen-password', '--config', configFile);
    expect(chosen.code).to.equal(0);
    expect(chosen.stdout + chosen.stderr).not.to.include('chosen-password');
    const updated = await withStore((store) => store.users.get('admin'));
    expect(await verifyPassword('chosen-password', updated!.passwordHash!)).to.equal(true);
  });

  it('generates the embedded key file like the gateway when ENCRYPTION_KEY is unset', async () => {
    await writeFile(configFile, JSON.stringify({ store: { type: 'embedded', path: './data' } }));
    const created = await run('keys', 'create', '--name', 'x', '--config', configFile);
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stderr).to.include('Back this file up');
    expect((await stat(join(dir, 'data', 'encryption.key'))).isFile()).to.equal(true);
  });

  it('exits 1 with the message on operational errors', async () => {
    const missing = await run('keys', 'list', '--config', join(dir, 'missing.json'));
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('missing.json');
  });

  it('starts the gateway with the given config file', async () => {
    const calls: unknown[] = [];
    const code = await main(
      ['start', '--config', 'x.json'],
      { stdout: () => undefined, stderr: () => undefined },
      {
        runGateway: async (options) => void calls.push(options),
      },
    );
    expect(code).to.equal(0);
    expect(calls).to.deep.equal([{ configFile: 'x.json' }]);
  });
});
