/**
 * Scheduled account checks in the web admin, in real headless Chromium: two gateway
 * processes share one Redis (each on a manual clock the test moves); a scheduled check
 * runs on exactly one of them, and the admin of the other shows its result, the balance
 * and quota it reported, and the account's check history; "check now" adds to it, and
 * the check defaults are in Settings. Screenshots go to test-output/admin/.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { waitFor } from '@switchyard/core/testing';
import { startRedisForTests, type TestRedis } from '../../core/src/testing/redis-server.js';
import { startGatewayChild, type GatewayChild } from '../../core/test/fixtures/start-gateway-child.js';
import { startStatusUpstream, type StatusUpstream } from '../../core/test/fixtures/status-upstream.js';
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'checks-password-1' };
const MINUTE = 60_000;

describe('web admin: scheduled account checks across two gateway processes (headless Chromium)', function () {
  this.timeout(120_000);
  let redis: TestRedis;
  let upstream: StatusUpstream;
  let one: GatewayChild;
  let two: GatewayChild;
  let browser: TestBrowser;
  let page: Page;

  const checked = (child: GatewayChild) => child.output.split('\n').filter((line) => line.startsWith('CHECK ')).length;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    redis = await startRedisForTests();
    upstream = await startStatusUpstream();
    const config = {
      store: { type: 'redis', url: redis.url, prefix: redis.prefix },
      security: { encryptionKey: 'admin-checks-encryption-key-0123456789' },
      logging: { level: 'error' },
      admin: { ...ADMIN, staticDir: BUILD },
      checks: { intervalMinutes: 5 },
      accounts: [
        {
          id: 'watched',
          type: 'status-upstream',
          name: 'Watched',
          credentials: { token: 'token-watched', baseUrl: upstream.url },
        },
      ],
    };
    one = await startGatewayChild(config, 60_000, { manualClock: true });
    two = await startGatewayChild(config, 60_000, { manualClock: true });
    browser = await launchBrowser();
    page = await browser.open();
  });

  after(async () => {
    await browser?.close();
    for (const instance of [one, two]) {
      if (instance?.child.exitCode === null) {
        instance.child.kill('SIGTERM');
        await once(instance.child, 'exit');
      }
    }
    await upstream?.close();
    await redis?.stop();
  });

  it("runs the scheduled check on one process and shows it in the other's admin, with its history", async () => {
    await Promise.all([one.advance(MINUTE), two.advance(MINUTE)]);
    await waitFor(() => checked(one) + checked(two) === 1, { what: 'the scheduled check', timeoutMs: 20_000 });
    await Promise.all([one.advance(1000), two.advance(1000)]);
    expect([checked(one), checked(two)].sort()).to.deep.equal([0, 1]);
    expect(upstream.hits.get('token-watched')).to.equal(1);
    const viewer = checked(one) === 0 ? one : two;

    await signIn(page, `${viewer.url}/admin/login`, ADMIN);
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    const row = page.locator('tr[data-account="Watched"]');
    const latest = row.locator('[data-testid=check-result]');
    await latest.filter({ hasText: 'healthy' }).waitFor();
    expect(await latest.textContent()).to.contain('every 5 min');
    expect(await latest.getByTestId('check-details').textContent())
      .to.contain('balance.usd: 12.50')
      .and.contain('windows.5h.usedPercent: 40');
    await page.screenshot({ path: join(SHOTS, 'checks-01-accounts.png'), fullPage: true });

    await row.getByRole('button', { name: 'More' }).click();
    await row.getByRole('button', { name: 'Checks' }).click();
    const dialog = page.getByRole('dialog', { name: 'Checks of Watched' });
    const history = dialog.getByTestId('check-history');
    await history.waitFor();
    expect(await history.locator('tbody tr').count()).to.equal(1);
    expect(await history.locator('tbody tr').first().textContent())
      .to.contain('scheduled')
      .and.contain('healthy');
    expect(await dialog.getByTestId('check-schedule').textContent()).to.contain('Checked every 5 min (default)');

    upstream.setStatus('token-watched', 503);
    await dialog.getByRole('button', { name: 'Check now' }).click();
    await history.locator('tbody tr').nth(1).waitFor();
    const newest = await history.locator('tbody tr').first().textContent();
    expect(newest).to.contain('failed').and.contain('check now').and.contain('status answered 503');
    await page.screenshot({ path: join(SHOTS, 'checks-02-history.png'), fullPage: true });

    // The account's own schedule: off from now on.
    await dialog.locator('#check-interval').selectOption('off');
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await dialog.getByTestId('check-schedule').filter({ hasText: 'Not checked on a schedule' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await latest.filter({ hasText: 'status answered 503' }).waitFor();
    expect(await latest.textContent()).to.not.contain('every 5 min');
    expect(browser.errors).to.deep.equal([]);
  });

  it('keeps the check defaults in Settings', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Scheduled account checks' }).waitFor();
    expect(await page.locator('#check-every').inputValue()).to.equal('5');
    await page.locator('#check-on-failure').selectOption('pause');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Scheduled account checks' }).waitFor();
    expect(await page.locator('#check-on-failure').inputValue()).to.equal('pause');
    await page.screenshot({ path: join(SHOTS, 'checks-03-settings.png'), fullPage: true });
    expect(browser.errors).to.deep.equal([]);
  });
});
