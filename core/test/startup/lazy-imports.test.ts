/**
 * What a request does not need is not loaded at start (issue 22: memory and cold start):
 * the CLI loads only the command it runs (`start` never loads the reference import and
 * its ioredis, or state transfer), and a gateway configured with LDAP sign-in and an
 * e-mail notification target loads ldapts and nodemailer only when it signs someone in
 * or sends a message. The gateway loads undici's dispatcher classes but not its index
 * (fetch, WebSocket, the cache), awilix without fast-glob, and neither jsonwebtoken (the
 * first session), yaml (a YAML config) nor ICU's date data (`Intl.DateTimeFormat`, for a
 * time zone other than UTC). Checked in a child process (this one has loaded them
 * already) whose module resolution is watched by a loader hook, and whose CommonJS cache
 * is read (CommonJS `require`s do not pass the hook); the same child then uses each, so
 * the watch is shown to see them.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { runWithWatchedLoads } from '../support/watched-module-loads.js';

const source = (relative: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${relative}`, import.meta.url)));

describe('lazy imports at start', () => {
  it('the CLI loads only the command it runs; LDAP and e-mail load on first use', async function () {
    this.timeout(90_000);
    const result = await runWithWatchedLoads<
      Record<'cli' | 'keysCommand' | 'started' | 'used' | 'requiredAtStart' | 'requiredAfterUse', string[]> & {
        dateFormatsAtStart: number;
        dateFormatsAfterUse: number;
        helpStatus: number;
        statusOfKeys: number;
        signIn: string;
        sent: string;
      }
    >(`
      const quietIo = { stdout() {}, stderr() {} };
      const { main } = await import(${source('cli/main.ts')});
      const helpStatus = await main(['help'], quietIo);
      const cli = await mark('cli');
      const statusOfKeys = await main(['keys'], quietIo);
      const keysCommand = await mark('keys');

      const { createRequire } = await import('node:module');
      const required = () => Object.keys(createRequire(process.cwd() + '/').cache);
      let dateFormats = 0;
      const count = { construct: (target, args) => (dateFormats++, Reflect.construct(target, args)), apply: (target, self, args) => (dateFormats++, Reflect.apply(target, self, args)) };
      Intl.DateTimeFormat = new Proxy(Intl.DateTimeFormat, count);

      const { createGateway } = await import(${source('index.ts')});
      const mail = { id: 'mail', type: 'email', host: '127.0.0.1', port: 9, from: 'switchyard@example.test', to: ['ops@example.test'] };
      const ldap = { url: 'ldap://127.0.0.1:9', searchBase: 'dc=example,dc=test', adminGroups: ['cn=admins,dc=example,dc=test'], connectTimeoutMs: 2000 };
      const gateway = await createGateway({
        config: {
          plugins: [],
          store: { type: 'embedded', path: ':memory:' },
          security: { encryptionKey: 'lazy-imports-key-0123456789abcdef' },
          auth: { ldap },
          notifications: { targets: [mail] },
          // Given as 'switchyard start' gives it: the config file's parsed values are validated again.
          usage: { timeZone: 'UTC' },
        },
        logSink() {},
        print() {},
      });
      await gateway.close();
      const { TimeBuckets } = await import(${source('usage/time-buckets.ts')});
      new TimeBuckets().labels(Date.now());
      const started = await mark('gateway');
      const requiredAtStart = required();
      const dateFormatsAtStart = dateFormats;

      const { LdapDirectory } = await import(${source('auth/ldap-directory.ts')});
      const { ldapSchema } = await import(${source('config/auth-schema.ts')});
      const { createSender } = await import(${source('notifications/targets/create-sender.ts')});
      const { notificationTargetSchema } = await import(${source('notifications/notification-config-schema.ts')});
      const log = { debug() {}, info() {}, warn() {}, error() {}, child() { return log; } };
      const signIn = await new LdapDirectory(ldapSchema.parse(ldap), log).authenticate('alice', 'password').then(
        () => 'signed in', (error) => error.reason);
      const event = { id: 'ev', event: 'key.quota_warning', at: '2026-03-01T12:00:00.000Z', data: {} };
      const sent = await createSender(notificationTargetSchema.parse(mail), 2000, Date.now).send(event).then(
        () => 'sent', (error) => error.name + (error.retryable ? ' (retryable)' : ''));
      const { AdminSessions } = await import(${source('auth/admin-sessions.ts')});
      await new AdminSessions({ store: undefined, sessionKey: 'k'.repeat(32), ttlMs: 60_000, rotateMs: 60_000 }).verify('not.a.token');
      const { parseConfigText } = await import(${source('config/parse-config-text.ts')});
      await parseConfigText('server: {}', 'switchyard.config.yaml');
      const { postJson } = await import(${source('notifications/targets/post-json.ts')});
      await postJson({ url: 'http://127.0.0.1:9/hook', body: {}, timeoutMs: 2000, target: 'webhook' }).catch(() => undefined);
      new TimeBuckets('Europe/Paris').labels(Date.now());
      const used = await mark('used');
      const requiredAfterUse = required();
      const dateFormatsAfterUse = dateFormats;
      print({ helpStatus, statusOfKeys, cli, keysCommand, started, used, signIn, sent, requiredAtStart, requiredAfterUse, dateFormatsAtStart, dateFormatsAfterUse });
    `);
    const loaded = (urls: string[], pattern: RegExp) => urls.filter((url) => pattern.test(url));
    expect(result.helpStatus).to.equal(0);
    expect(loaded(result.cli, /\/cli\/main\.ts$/)).to.have.length(1);
    expect(
      loaded(result.cli, /\/cli\/[a-z-]+-commands?\.ts$|\/migration\/|\/state-transfer\/|\/node_modules\/ioredis\//),
    ).to.deep.equal([]);
    // `keys` without a subcommand is a usage error, but its module was loaded to say so.
    expect(result.statusOfKeys).to.equal(2);
    expect(loaded(result.keysCommand, /\/cli\/keys-command\.ts$/)).to.have.length(1);

    expect(loaded(result.started, /\/core\/src\/gateway\.ts$/)).to.have.length(1);
    expect(loaded(result.started, /\/node_modules\/(nodemailer|ldapts)\//)).to.deep.equal([]);
    const atStart = [...result.cli, ...result.keysCommand, ...result.started, ...result.requiredAtStart];
    expect(
      loaded(atStart, /\/node_modules\/(fast-glob|jsonwebtoken|semver|yaml)\/|\/node_modules\/undici\/index\.js$/),
    ).to.deep.equal([]);
    expect(loaded(result.requiredAtStart, /\/node_modules\/undici\/lib\/dispatcher\/agent\.js$/)).to.have.length(1);
    expect(result.dateFormatsAtStart, 'Intl.DateTimeFormat at start and for UTC labels').to.equal(0);
    const afterUse = [...result.used, ...result.requiredAfterUse];
    for (const pattern of [/\/node_modules\/jsonwebtoken\//, /\/node_modules\/yaml\//, /\/node_modules\/undici\/index\.js$/]) {
      expect(
        afterUse.some((url) => pattern.test(url)),
        String(pattern),
      ).to.equal(true);
    }
    expect(result.dateFormatsAfterUse).to.equal(1);
    expect(result.signIn).to.equal('directory_unavailable');
    expect(result.sent).to.equal('DeliveryError (retryable)');
    for (const name of ['nodemailer', 'ldapts']) {
      expect(
        result.used.some((url) => url.includes(`/node_modules/${name}/`)),
        name,
      ).to.equal(true);
    }
  });
});
