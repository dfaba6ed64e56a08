import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { rejectionOf } from '../support/rejection-of.js';

const KEY = 'k'.repeat(24);

const failure = (promise: Promise<unknown>) => rejectionOf(promise, ConfigError);

describe('loadConfig', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'switchyard-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a working default config without a file', async () => {
    const loaded = await loadConfig({ cwd: dir, env: {} });
    expect(loaded.file).to.equal(undefined);
    expect(loaded.dir).to.equal(dir);
    expect(loaded.config.server.port).to.equal(3000);
    expect(loaded.config.server.timeouts.connectMs).to.equal(15_000);
    expect(loaded.config.plugins).to.equal('auto');
    expect(loaded.config.store).to.deep.equal({ type: 'embedded', path: join(dir, 'data') });
    expect(loaded.config.scheduling.cooldownMs.rate_limited).to.equal(60_000);
  });

  it('reads a JSON file and resolves the store path against its folder', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ server: { port: 8080 }, store: { type: 'embedded', path: 'state' } }));
    const loaded = await loadConfig({ file: 'gw.json', cwd: dir, env: {} });
    expect(loaded.file).to.equal(join(dir, 'gw.json'));
    expect(loaded.dir).to.equal(dir);
    expect(loaded.config.server.port).to.equal(8080);
    expect(loaded.config.server.host).to.equal('0.0.0.0');
    expect(loaded.config.store).to.deep.equal({ type: 'embedded', path: join(dir, 'state') });
  });

  it('reads a YAML file named by SWITCHYARD_CONFIG', async () => {
    await writeFile(
      join(dir, 'gw.yaml'),
      'server:\n  port: 4000\nplugins:\n  - ./local-plugin\n  - package: some-plugin\n    mounts: ["/x"]\n',
    );
    const loaded = await loadConfig({ cwd: dir, env: { SWITCHYARD_CONFIG: 'gw.yaml' } });
    expect(loaded.config.server.port).to.equal(4000);
    expect(loaded.config.plugins).to.deep.equal(['./local-plugin', { package: 'some-plugin', mounts: ['/x'] }]);
  });

  it('interpolates ${VAR} and ${VAR:-default} in every string', async () => {
    const config = {
      server: { host: '${HOST_NAME:-127.0.0.1}' },
      keys: [{ name: 'alice', key: '${ALICE_KEY}', description: 'owner ${OWNER} / ${MISSING:-none} / $${LITERAL}' }],
      accounts: [{ id: 'a1', type: 'echo-key', name: 'A', credentials: { apiKey: 'Bearer ${TOKEN}' } }],
    };
    await writeFile(join(dir, 'gw.json'), JSON.stringify(config));
    const loaded = await loadConfig({ file: 'gw.json', cwd: dir, env: { ALICE_KEY: KEY, OWNER: 'ops', TOKEN: 't0k' } });
    expect(loaded.config.server.host).to.equal('127.0.0.1');
    expect(loaded.config.keys[0]!.key).to.equal(KEY);
    expect(loaded.config.keys[0]!.description).to.equal('owner ops / none / ${LITERAL}');
    expect(loaded.config.accounts[0]!.credentials).to.deep.equal({ apiKey: 'Bearer t0k' });
  });

  it('coerces a value that is a single placeholder to the number the schema expects', async () => {
    await writeFile(join(dir, 'gw.yaml'), 'server:\n  port: ${GW_PORT}\n  trustProxy: ${TRUST:-true}\n');
    const loaded = await loadConfig({ file: 'gw.yaml', cwd: dir, env: { GW_PORT: '5123' } });
    expect(loaded.config.server.port).to.equal(5123);
    expect(loaded.config.server.trustProxy).to.equal(true);
  });

  it('reads a number of trusted proxies from a single placeholder', async () => {
    await writeFile(join(dir, 'gw.yaml'), 'server:\n  trustProxy: ${HOPS}\n');
    expect((await loadConfig({ file: 'gw.yaml', cwd: dir, env: { HOPS: '2' } })).config.server.trustProxy).to.equal(2);
    expect((await loadConfig({ file: 'gw.yaml', cwd: dir, env: { HOPS: 'false' } })).config.server.trustProxy).to.equal(false);
    const error = await failure(loadConfig({ file: 'gw.yaml', cwd: dir, env: { HOPS: 'yes' } }));
    expect(error.problems.join('\n')).to.contain('server.trustProxy');
  });

  it('reports an unset variable with its JSON path', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ keys: [{ name: 'alice', key: '${ALICE_KEY}' }] }));
    const error = await failure(loadConfig({ file: 'gw.json', cwd: dir, env: {} }));
    expect(error.problems).to.deep.equal(['keys[0].key: environment variable ALICE_KEY is not set']);
    expect(error.message).to.contain('keys[0].key: environment variable ALICE_KEY is not set');
  });

  it('applies environment overrides after interpolation', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ server: { port: 1, host: 'a' }, logging: { level: 'error' } }));
    const env = {
      PORT: '9000',
      HOST: '::',
      REDIS_URL: 'redis://localhost:6379/2',
      ENCRYPTION_KEY: 'e'.repeat(32),
      ADMIN_USERNAME: 'root',
      ADMIN_PASSWORD: 'correct horse',
      LOG_LEVEL: 'DEBUG',
    };
    const { config } = await loadConfig({ file: 'gw.json', cwd: dir, env });
    expect(config.server.port).to.equal(9000);
    expect(config.server.host).to.equal('::');
    expect(config.store).to.deep.equal({
      type: 'redis',
      url: 'redis://localhost:6379/2',
      prefix: 'switchyard:',
      replyTimeoutMs: 3000,
    });
    expect(config.security.encryptionKey).to.equal('e'.repeat(32));
    expect(config.admin).to.deep.equal({ username: 'root', password: 'correct horse' });
    expect(config.logging.level).to.equal('debug');
  });

  it('keeps the redis settings of the file when REDIS_URL replaces the url', async () => {
    await writeFile(
      join(dir, 'gw.json'),
      JSON.stringify({ store: { type: 'redis', url: 'redis://old:6379', prefix: 'sy:', replyTimeoutMs: 1500 } }),
    );
    const { config } = await loadConfig({
      file: 'gw.json',
      cwd: dir,
      env: { REDIS_URL: 'redis://new:6379', ENCRYPTION_KEY: 'e'.repeat(32) },
    });
    expect(config.store).to.deep.equal({ type: 'redis', url: 'redis://new:6379', prefix: 'sy:', replyTimeoutMs: 1500 });
  });

  it('takes the embedded store path from SWITCHYARD_DATA_DIR, relative to cwd', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ store: { type: 'embedded', path: 'ignored' } }));
    const { config } = await loadConfig({ file: 'gw.json', cwd: dir, env: { SWITCHYARD_DATA_DIR: 'var/db' } });
    expect(config.store).to.deep.equal({ type: 'embedded', path: join(dir, 'var/db') });
  });

  it('keeps an in-memory embedded store as it is', async () => {
    await writeFile(join(dir, 'gw.json'), JSON.stringify({ store: { type: 'embedded', path: ':memory:' } }));
    const { config } = await loadConfig({ file: 'gw.json', cwd: dir, env: {} });
    expect(config.store).to.deep.equal({ type: 'embedded', path: ':memory:' });
  });

  it('reports a bad PORT variable', async () => {
    const error = await failure(loadConfig({ cwd: dir, env: { PORT: 'eighty' } }));
    expect(error.problems).to.deep.equal(['PORT: expected a port number, got "eighty"']);
  });

  it('loads .env from cwd without overriding variables already set', async () => {
    await writeFile(
      join(dir, '.env'),
      '# comment\nALICE_KEY=' + KEY + '\nPORT=7000\nSWITCHYARD_CONFIG=gw.json\nQUOTED="two words"\n',
    );
    await writeFile(
      join(dir, 'gw.json'),
      JSON.stringify({ keys: [{ name: 'alice', key: '${ALICE_KEY}', description: '${QUOTED}' }] }),
    );
    const env: NodeJS.ProcessEnv = { PORT: '7100' };
    const loaded = await loadConfig({ cwd: dir, env });
    expect(loaded.file).to.equal(join(dir, 'gw.json'));
    expect(loaded.config.keys[0]!.key).to.equal(KEY);
    expect(loaded.config.keys[0]!.description).to.equal('two words');
    expect(loaded.config.server.port).to.equal(7100);
    expect(env.PORT).to.equal('7100');
    expect(env.ALICE_KEY).to.equal(KEY);
  });

  it('lists every problem at once, one per line', async () => {
    const config = {
      server: { port: 'high', color: 'blue' },
      store: { type: 'tape' },
      plugins: [{ package: 'a', path: './b' }, 42, 'auto', '../mine', 'auto'],
      groups: [{ id: 'team', name: 'Team' }],
      accounts: [
        { id: 'acc', type: 'echo-key', name: 'One', groups: ['team', 'ghosts'] },
        { id: 'acc', type: 'echo-key', name: 'Two' },
      ],
      keys: [
        { name: 'alice', key: '${ALICE_KEY}' },
        { name: 'alice', key: 'short' },
      ],
    };
    await writeFile(join(dir, 'gw.json'), JSON.stringify(config, null, 2));
    const error = await failure(loadConfig({ file: 'gw.json', cwd: dir, env: {} }));
    const expected = [
      'keys[0].key: environment variable ALICE_KEY is not set',
      'accounts[1].id: duplicate account id "acc" (also accounts[0])',
      'keys[1].name: duplicate key name "alice" (also keys[0])',
      'accounts[0].groups[1]: group "ghosts" is not declared in groups',
      'plugins[0]: give exactly one of "package" or "path"',
      'plugins[1]: Invalid input: expected string or object',
      'plugins[4]: "auto" may appear once in the list',
      'keys[1].key: a declared key needs at least 20 characters',
    ];
    for (const problem of expected) expect(error.problems).to.include(problem);
    expect(error.problems.some((problem) => problem.startsWith('server.port: '))).to.equal(true);
    expect(error.problems.some((problem) => problem.startsWith('server: ') && problem.includes('color'))).to.equal(true);
    expect(error.problems.some((problem) => problem.startsWith('store.type: '))).to.equal(true);
    const lines = error.message.split('\n');
    expect(lines[0]).to.contain(join(dir, 'gw.json'));
    expect(lines).to.have.length(error.problems.length + 1);
    for (const problem of error.problems) expect(error.message).to.contain(`\n  ${problem}`);
  });

  it('does not check group references when no groups are declared', async () => {
    await writeFile(
      join(dir, 'gw.json'),
      JSON.stringify({ accounts: [{ id: 'a', type: 'echo-key', name: 'A', groups: ['anything'] }] }),
    );
    const { config } = await loadConfig({ file: 'gw.json', cwd: dir, env: {} });
    expect(config.accounts[0]!.groups).to.deep.equal(['anything']);
  });

  it('names the file and line of a JSON syntax error', async () => {
    await writeFile(join(dir, 'gw.json'), '{\n  "server": {\n    "port": 3000,\n  }\n}\n');
    const error = await failure(loadConfig({ file: 'gw.json', cwd: dir, env: {} }));
    expect(error.problems).to.have.length(1);
    expect(error.problems[0]).to.match(
      new RegExp(`^${join(dir, 'gw.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: invalid JSON \\(line 4\\)`),
    );
  });

  it('names the file and line of a YAML syntax error', async () => {
    await writeFile(join(dir, 'gw.yml'), 'server:\n  port: 1\n  port: 2\n');
    const error = await failure(loadConfig({ file: 'gw.yml', cwd: dir, env: {} }));
    expect(error.problems[0]).to.contain(`${join(dir, 'gw.yml')}:3:`);
    expect(error.problems[0]).to.contain('invalid YAML (line 3)');
  });

  it('reports a missing file', async () => {
    const error = await failure(loadConfig({ file: 'nope.json', cwd: dir, env: {} }));
    expect(error.problems).to.deep.equal([`${join(dir, 'nope.json')}: cannot read config file: file not found`]);
  });

  it('refuses a document that is not an object', async () => {
    await writeFile(join(dir, 'gw.json'), '[1, 2]');
    const error = await failure(loadConfig({ file: 'gw.json', cwd: dir, env: {} }));
    expect(error.problems).to.deep.equal(['(root): the config must be an object, got an array']);
  });
});
