/**
 * Model aliases in the web admin, in real headless Chromium against a real gateway with
 * the echo example plugin: a group's table set in Settings, a key bound to the group with
 * its own table created in the key dialog, and the request log showing the requested and
 * the served model of the key's requests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../examples/plugin-echo/test/fake-echo-upstream.js';
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = join(root, 'admin', 'build');
const ADMIN = { username: 'operator', password: 'alias-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-456';

describe('web admin: model aliases of groups and keys (headless Chromium)', function () {
  this.timeout(120_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      accounts: [
        { type: 'echo-key', name: 'Echo', groups: ['team'], credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } },
      ],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    browser = await launchBrowser();
    page = await browser.open();
    await signIn(page, `${tg.url}/admin/login`, ADMIN);
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
  });

  it('sets a group table, creates a bound key with its own, and shows requested -> served in the log', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Account groups' }).click();
    await page.locator('#group-id').fill('team');
    await page.locator('#group-name').fill('Team');
    await page.locator('#group-aliases').fill('team-*=echo-1\nbroken');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByRole('alert').filter({ hasText: 'line 2' }).first().waitFor();
    await page.locator('#group-aliases').fill('team-*=echo-1');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByText('team-* → echo-1').waitFor();

    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a key' });
    await dialog.locator('#key-name').fill('aliased');
    await dialog.locator('#key-binding').selectOption('group');
    await dialog.locator('#key-bind-group').selectOption('team');
    await dialog.locator('#key-aliases').fill('team-small=echo-2');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const copyOnce = page.getByRole('dialog', { name: 'Copy your key now' });
    const plaintext = (await copyOnce.getByTestId('new-key').textContent())!.trim();
    await copyOnce.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.locator('tr[data-key="aliased"]');
    expect(await row.textContent())
      .to.contain('group team')
      .and.contain('team-small → echo-2');

    for (const model of ['team-large', 'team-small']) {
      const res = await sendRequest(`${tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${plaintext}` },
        body: { model, input: 'hello' },
      });
      expect(res.status, res.text()).to.equal(200);
    }
    expect(upstream.requests.map((request) => request.json<{ model: string }>().model)).to.deep.equal(['echo-1', 'echo-2']);
    await tg.usageRecords({ count: 2 });
    await page.getByRole('link', { name: 'Request log', exact: true }).click();
    const log = page.getByTestId('requests-table');
    await log.filter({ hasText: 'team-large → echo-1' }).waitFor();
    expect(await log.textContent()).to.contain('team-small → echo-2');
    expect(browser.errors).to.deep.equal([]);
  });
});
