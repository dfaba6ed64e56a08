/**
 * The user portal in real headless Chromium, against a gateway whose people come from a
 * real slapd (LDAP): a directory user signs in, creates a key within the admin's template,
 * uses it with a plain HTTP call (as curl would) through the gateway to a fake upstream,
 * and sees the usage; cannot open an admin page or call an admin route; an admin disables
 * the user in the Users page and the key stops working. Screenshots go to test-output/admin/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../examples/plugin-echo/test/fake-echo-upstream.js';
import {
  LDAP_GROUPS,
  LDAP_PEOPLE,
  LDAP_READER,
  startSlapdForTests,
  type TestSlapd,
} from '../../core/test/fixtures/slapd-for-tests.js';
import { CHROMIUM, launchBrowser, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-portal';
const TEMPLATE = { windows: [{ period: '1h', requests: 20 }] };

describe('user portal journeys with an LDAP user (headless Chromium)', function () {
  this.timeout(180_000);
  let slapd: TestSlapd;
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let plaintext = '';

  const at = (path: string) => `${tg.url}/admin${path}`;
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const useKey = (key: string) =>
    sendRequest(`${tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${key}` },
      body: { model: 'echo-1', input: 'hello there' },
    });
  const signIn = async (username: string, password: string) => {
    await page.goto(at('/login'));
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  };

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'me', 'index.html')) && !existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    slapd = await startSlapdForTests();
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      accounts: [{ type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } }],
      config: {
        admin: { ...ADMIN, staticDir: BUILD },
        logging: { level: 'warn' },
        auth: {
          users: { maxKeysPerUser: 1, keyLimits: TEMPLATE },
          ldap: {
            url: slapd.url,
            bindDn: LDAP_READER.dn,
            bindPassword: LDAP_READER.password,
            searchBase: LDAP_PEOPLE,
            groupSearchBase: LDAP_GROUPS,
            adminGroups: ['switchyard-admins'],
            userGroups: ['switchyard-users'],
          },
        },
      },
    });
    browser = await launchBrowser();
    page = await browser.open();
    page.on('dialog', (dialog) => void dialog.accept());
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
    await slapd?.stop();
  });

  it('an LDAP user signs in to their portal, creates a key within the template, uses it and sees the usage', async () => {
    await signIn('bob', 'bob-password');
    await page.getByRole('heading', { name: 'My keys and usage' }).waitFor();
    expect(await page.getByTestId('allowance').textContent()).to.contain('0 of 1 keys');
    await page.fill('#my-key-name', 'laptop');
    await page.getByRole('button', { name: 'Create key' }).click();
    const copyOnce = page.getByRole('dialog', { name: 'Copy your key now' });
    plaintext = (await copyOnce.getByTestId('new-key').textContent())!.trim();
    expect(plaintext).to.match(/^sy_/);
    await copyOnce.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.locator('tr[data-key="laptop"]');
    await row.waitFor();
    expect(await row.textContent()).to.contain('of 20 used');
    // The maximum is reached: the form says so.
    expect(await page.locator('#my-key-name').isDisabled()).to.equal(true);

    const used = await useKey(plaintext);
    expect(used.status, used.text()).to.equal(200);
    await tg.gateway.settled();
    await page.reload();
    await row.locator('[data-testid=key-usage]').filter({ hasText: '1 requests' }).waitFor();
    expect(await row.textContent()).to.contain('1 of 20 used, 19 left');
    expect(await page.locator('[data-stat="Cost today"]').textContent()).to.contain('1 requests');
    await page.getByRole('link', { name: 'Connect a client' }).click();
    await page.getByRole('heading', { name: 'Connect a client' }).waitFor();
    await shot('20-user-portal');
    expect(await page.content()).to.not.contain(plaintext);
  });

  it('a user cannot open an admin page or call an admin route', async () => {
    for (const path of ['/', '/accounts', '/users', '/keys']) {
      await page.goto(at(path));
      await page.waitForURL(/\/admin\/me$/);
    }
    const statuses = await page.evaluate(async () => {
      const headers = { 'x-requested-with': 'switchyard-admin', 'content-type': 'application/json' };
      const get = await fetch('/admin/api/accounts', { credentials: 'same-origin' });
      const post = await fetch('/admin/api/keys', { method: 'POST', credentials: 'same-origin', headers, body: '{"name":"x"}' });
      const disable = await fetch('/admin/api/users/operator/disable', {
        method: 'POST',
        credentials: 'same-origin',
        headers,
        body: '{}',
      });
      return [get.status, post.status, disable.status];
    });
    expect(statuses).to.deep.equal([403, 403, 403]);
  });

  it('an admin disables that user in the Users page, and the key stops working at once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/admin\/login/);
    await signIn(ADMIN.username, ADMIN.password);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const row = page.locator('tr[data-user="bob"]');
    await row.waitFor();
    expect(await row.textContent()).to.contain('directory');
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await shot('21-users-bob-disabled');
    const refused = await useKey(plaintext);
    expect(refused.status).to.equal(401);
    expect(refused.text()).to.contain('disabled');
    expect(browser.errors.filter((error) => !/403|Forbidden/.test(error))).to.deep.equal([]);
  });
});
