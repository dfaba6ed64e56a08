/**
 * The `notifications` section of the config file: secrets from the environment, every
 * problem reported with its path, defaults.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../src/config/load-config.js';

function folderWith(config: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'sy-notify-config-'));
  writeFileSync(join(dir, 'gw.json'), JSON.stringify(config));
  return dir;
}

describe('notifications: config', () => {
  it('reads secrets from the environment and applies the defaults', async () => {
    const dir = folderWith({
      notifications: {
        targets: [
          { id: 'hook', type: 'webhook', url: 'https://hooks.example.test/in', secret: '${HOOK_SECRET}' },
          { id: 'mail', type: 'email', host: 'smtp.example.test', password: '${SMTP_PASSWORD}', from: 'a@b.c', to: ['d@e.f'] },
          { id: 'bark', type: 'bark', deviceKey: '${BARK_KEY}', events: ['account.*'] },
        ],
      },
    });
    const { config } = await loadConfig({
      file: 'gw.json',
      cwd: dir,
      env: { HOOK_SECRET: 'hook-secret', SMTP_PASSWORD: 'smtp-pass', BARK_KEY: 'bark-key' },
    });
    const [hook, mail, bark] = config.notifications.targets;
    expect(hook).to.deep.equal({
      id: 'hook',
      type: 'webhook',
      url: 'https://hooks.example.test/in',
      secret: 'hook-secret',
      enabled: true,
      events: ['*'],
    });
    expect(mail).to.include({ password: 'smtp-pass', port: 587, secure: false });
    expect(bark).to.include({ deviceKey: 'bark-key', serverUrl: 'https://api.day.app' });
    expect(config.notifications).to.include({ enabled: true, quotaWarningPercent: 80, keyExpiryDays: 7 });
    expect(config.notifications.retry).to.deep.equal({ attempts: 4, backoffMs: 2000, timeoutMs: 10_000 });
  });

  it('names each bad field: an unset secret, a URL that is not http(s), an unknown event, a missing recipient', async () => {
    const dir = folderWith({
      notifications: {
        targets: [
          { id: 'hook', type: 'webhook', url: 'ftp://x.example.test', secret: '${UNSET_SECRET}' },
          { id: 'slack', type: 'slack', url: 'https://hooks.slack.test/x', events: ['account.*', 'not an event'] },
          { id: 'mail', type: 'email', host: 'smtp.example.test', from: 'a@b.c', to: [] },
          { id: 'x', type: 'pager' },
        ],
      },
    });
    const error = await loadConfig({ file: 'gw.json', cwd: dir, env: {} }).then(
      () => undefined,
      (failure: unknown) => failure as Error,
    );
    expect(error, 'the config is refused').to.be.instanceOf(Error);
    const message = error!.message;
    expect(message).to.include('notifications.targets[0].secret: environment variable UNSET_SECRET is not set');
    expect(message).to.include('notifications.targets[0].url');
    expect(message).to.include('notifications.targets[1].events[1]');
    expect(message).to.include('notifications.targets[2].to');
    expect(message).to.include('notifications.targets[3].type');
  });
});
