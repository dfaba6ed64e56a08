/**
 * What a request does not need is not loaded at start (issue 22: memory and cold start):
 * the CLI loads only the command it runs (`start` never loads the reference import and
 * its ioredis, or state transfer), and a gateway configured with LDAP sign-in and an
 * e-mail notification target loads ldapts and nodemailer only when it signs someone in
 * or sends a message. Checked in a child process (this one has loaded them already)
 * whose module resolution is watched by a loader hook; the same child then signs in and
 * sends, so the watch is shown to see them.
 */
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { runWithWatchedLoads } from '../support/watched-module-loads.js';

const source = (relative: string) => JSON.stringify(fileURLToPath(new URL(`../../src/${relative}`, import.meta.url)));

describe('lazy imports at start', () => {
  it('the CLI loads only the command it runs; LDAP and e-mail load on first use', async function () {
    this.timeout(90_000);
    const result = await runWithWatchedLoads<
      Record<'cli' | 'keysCommand' | 'started' | 'used', string[]> & {
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
        },
        logSink() {},
        print() {},
      });
      await gateway.close();
      const started = await mark('gateway');

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
      const used = await mark('used');
      print({ helpStatus, statusOfKeys, cli, keysCommand, started, used, signIn, sent });
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
