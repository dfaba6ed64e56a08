/**
 * End-to-end journeys of the web admin in real headless Chromium, against a real gateway
 * with the echo example plugin and a fake echo upstream: sign in, add an account through
 * the generated form, create a key (copy-once dialog), use the key, and see the request
 * on the dashboard, in the log, in the usage explorer and on the public key-usage page; see
 * refused requests (a 401 and a 402) in the log with their status and reason.
 * Screenshots of every page go to test-output/admin/.
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
import { flowPlugin } from '../../core/test/admin-api/flow-plugin.js';
import { CHROMIUM, launchBrowser, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-123';

describe('web admin journeys (headless Chromium)', function () {
  this.timeout(120_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let plaintext = '';
  /** A key whose spending cap is 0: its requests are refused with 402. */
  let spentKey = '';

  const shot = (name: string, target: Page = page) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const at = (path: string) => `${tg.url}/admin${path}`;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin, flowPlugin],
      keys: [],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    browser = await launchBrowser();
    page = await browser.open();
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
  });

  it('sends a stranger to the login page and signs in', async () => {
    await page.goto(at('/'));
    await page.waitForURL(/\/admin\/login/);
    await shot('01-login');
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', 'wrong-password');
    await page.click('button[type=submit]');
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await page.fill('#password', ADMIN.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await shot('02-dashboard-empty');
  });

  it('adds an account through the form generated from its type, with the secret masked', async () => {
    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    await page.getByRole('heading', { name: 'Accounts' }).waitFor();
    await page.getByRole('button', { name: 'Add account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add an account' });
    // Any plugin's type gets a form from its schema: the flow demo's enum becomes a select.
    await dialog.locator('#account-type').selectOption('flowdemo-token');
    expect(await dialog.locator('#cred-token').getAttribute('type')).to.equal('password');
    expect(await dialog.locator('#cred-region option').allTextContents()).to.include.members(['eu', 'us']);
    await dialog.locator('#account-type').selectOption('echo-key');
    await dialog.locator('#account-name').fill('Echo account');
    expect(await dialog.locator('#cred-apiKey').getAttribute('type')).to.equal('password');
    await dialog.locator('#cred-apiKey').fill(UPSTREAM_KEY);
    await dialog.locator('#cred-baseUrl').fill(upstream.url);
    await shot('03-account-form');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    const row = page.locator('tr[data-account="Echo account"]');
    await row.waitFor();
    await row.getByRole('button', { name: 'More' }).click();
    await row.getByRole('button', { name: 'Check now' }).click();
    await row.locator('[data-testid=check-result]').filter({ hasText: 'ok' }).waitFor();
    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Echo account' });
    // A stored secret is never shown: "Stored" with Replace, which opens an empty field.
    await edit.getByTestId('secret-stored').waitFor();
    await edit.getByRole('button', { name: 'Replace' }).click();
    expect(await edit.locator('#cred-apiKey').inputValue()).to.equal('');
    expect(await edit.locator('#cred-apiKey').getAttribute('placeholder')).to.contain('stored');
    await edit.getByRole('button', { name: 'Close' }).click();
    expect(await page.content()).to.not.contain(UPSTREAM_KEY);
    await shot('04-accounts');
  });

  it("connects an account through its type's auth flow", async () => {
    await page.getByRole('button', { name: /^Connect…/ }).click();
    await page.getByRole('button', { name: 'Connect Flow demo token: Paste a code' }).click();
    const dialog = page.getByRole('dialog', { name: 'Paste a code' });
    await dialog.getByRole('link', { name: /Open the sign-in page/ }).waitFor();
    expect(await dialog.getByRole('link', { name: /Open the sign-in page/ }).getAttribute('href')).to.contain(
      'auth.example.test',
    );
    await dialog.locator('#flow-code').fill('wait');
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await page.getByRole('status').filter({ hasText: 'Not finished yet' }).waitFor();
    await dialog.locator('#flow-code').fill('abc123');
    await dialog.locator('#flow-name').fill('Flow account');
    await shot('05-auth-flow');
    await dialog.getByRole('button', { name: 'Complete' }).click();
    await page.locator('tr[data-account="Flow account"]').waitFor();
    expect(await page.content()).to.not.contain('tok-abc123');
  });

  it('creates a key with limits and shows it exactly once', async () => {
    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a key' });
    await dialog.locator('#key-name').fill('journey');
    await dialog.locator('#key-daily').fill('5');
    await dialog.getByRole('button', { name: 'Add a window' }).click();
    await dialog.locator('#key-window-0-requests').fill('100');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const copyOnce = page.getByRole('dialog', { name: 'Copy your key now' });
    plaintext = (await copyOnce.getByTestId('new-key').textContent())!.trim();
    expect(plaintext).to.match(/^sy_/);
    await shot('06-key-copy-once');
    await copyOnce.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.locator('tr[data-key="journey"]');
    await row.waitFor();
    expect(await row.textContent()).to.contain('$5.00/day');
    await row.getByRole('button', { name: 'More' }).click();
    await row.getByRole('button', { name: 'Disable' }).click();
    await row.getByText('disabled').waitFor();
    await row.getByRole('button', { name: 'More' }).click();
    await row.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('enabled').waitFor();
    expect(await page.content()).to.not.contain(plaintext);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).to.not.contain(plaintext);
    await shot('07-keys');
  });

  it('uses the key against the fake upstream, and sees the request on the dashboard, in the log and in usage', async () => {
    const res = await sendRequest(`${tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${plaintext}` },
      body: { model: 'echo-1', input: 'hello from the journey' },
    });
    expect(res.status).to.equal(200);
    expect(upstream.requests.length).to.be.greaterThan(0);
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    const requestsToday = page.locator('[data-stat="Requests today"] strong');
    for (let attempt = 0; attempt < 20 && (await requestsToday.textContent()) !== '1'; attempt += 1) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    expect(await requestsToday.textContent()).to.equal('1');
    await page.getByTestId('requests-table').filter({ hasText: 'journey' }).waitFor();
    await shot('08-dashboard');
    await page.getByRole('link', { name: 'Request log', exact: true }).click();
    const log = page.getByTestId('requests-table');
    await log.filter({ hasText: 'Echo account' }).waitFor();
    expect(await log.textContent())
      .to.contain('journey')
      .and.contain('echo-1');
    await shot('09-request-log');
    await page.getByRole('link', { name: 'Usage', exact: true }).click();
    await page.getByRole('heading', { name: 'Usage' }).waitFor();
    await page.locator('table').filter({ hasText: 'echo-1' }).waitFor();
    await shot('10-usage');
  });

  it('shows a refused 401 (no key) and 402 (with its key and reason) in the request log after they happen', async () => {
    const spent = await tg.gateway.createKey({ name: 'spent', limits: { costUsd: { total: 0 } } });
    spentKey = spent.key;
    const echo = (key: string) =>
      sendRequest(`${tg.url}/echo/v1/echo`, {
        headers: { authorization: `Bearer ${key}` },
        body: { model: 'echo-1', input: 'refused' },
      });
    expect((await echo('sy_not-a-key-of-this-gateway-0000000000')).status).to.equal(401);
    expect((await echo(spent.key)).status).to.equal(402);
    await page.getByRole('link', { name: 'Request log', exact: true }).click();
    const log = page.getByTestId('requests-table');
    await log.waitFor();
    for (
      let attempt = 0;
      attempt < 20 &&
      !/cost_limit_reached[\s\S]*invalid_api_key|invalid_api_key[\s\S]*cost_limit_reached/.test((await log.textContent()) ?? '');
      attempt += 1
    ) {
      await page.waitForTimeout(250);
      await page.reload();
      await log.waitFor();
    }
    const unauthorized = log.locator('tr').filter({ hasText: 'invalid_api_key' });
    expect(await unauthorized.textContent())
      .to.contain('401')
      .and.contain('no key');
    const payment = log.locator('tr').filter({ hasText: 'cost_limit_reached' });
    expect(await payment.textContent())
      .to.contain('402')
      .and.contain('spent')
      .and.contain('$0');
    await shot('09b-request-log-refusals');
  });

  it('shows settings and the connect-your-client page with this gateway URL', async () => {
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Scheduling' }).waitFor();
    await page.fill('#sticky', '120');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved' }).waitFor();
    const stored = await tg.gateway.store.settings.get<{ stickyTtlMs: number }>('gateway.settings');
    expect(stored?.stickyTtlMs).to.equal(120_000);
    await shot('11-settings');
    await page.getByRole('link', { name: 'Connect a client', exact: true }).click();
    await page.locator('[data-client=claude-code] pre').waitFor();
    expect(await page.locator('[data-client=claude-code] pre').textContent()).to.contain(`ANTHROPIC_BASE_URL="${tg.url}`);
    expect(await page.locator('[data-client=openai-compatible] pre').textContent()).to.contain('OPENAI_BASE_URL');
    await shot('12-connect');
  });

  it("lets a key holder see only their key's usage on the public page", async () => {
    const visitor = await browser.open();
    await visitor.goto(at('/key-usage'));
    await visitor.fill('#key', plaintext);
    await visitor.getByRole('button', { name: 'Show usage' }).click();
    const card = visitor.getByTestId('key-usage');
    await card.waitFor();
    expect(await card.textContent())
      .to.contain('journey')
      .and.contain('1 requests')
      .and.contain('requests per 5 hours');
    expect(await visitor.content()).to.not.contain(plaintext);
    await shot('13-key-usage', visitor);
    // A refused request counts in the holder's totals as one that failed, and the page says how that differs from windows.
    await visitor.fill('#key', spentKey);
    await visitor.getByRole('button', { name: 'Show usage' }).click();
    await card.filter({ hasText: 'spent' }).waitFor();
    // The totals come from the aggregates, written about once a second: ask again until they are in (bounded).
    for (let attempt = 0; attempt < 20 && !((await card.textContent()) ?? '').includes('1 requests'); attempt += 1) {
      await visitor.waitForTimeout(250);
      await visitor.getByRole('button', { name: 'Show usage' }).click();
    }
    expect(await card.textContent())
      .to.contain('1 requests, 1 refused or failed')
      .and.contain('request windows below count only the requests it let through');
    await visitor.close();
  });

  it('works on a phone screen', async () => {
    const phone = await browser.open({ width: 390, height: 844 });
    await phone.goto(at('/'));
    await phone.getByRole('heading', { name: 'Dashboard' }).waitFor();
    expect(await phone.locator('#nav').isVisible()).to.equal(false);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(390);
    await shot('14-phone-dashboard', phone);
    await phone.getByRole('button', { name: /Menu/ }).click();
    await phone.getByRole('link', { name: 'Keys', exact: true }).click();
    await phone.locator('tr[data-key="journey"]').waitFor();
    await shot('15-phone-keys', phone);
    for (const path of ['/keys', '/accounts', '/usage', '/requests', '/settings', '/connect', '/key-usage']) {
      await phone.goto(at(path));
      await phone.locator('h1').waitFor();
      await phone.waitForLoadState('networkidle');
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page ${path} is ${width}px wide on a 390px phone`).to.be.at.most(390);
    }
    await phone.close();
  });

  it('reported no page errors', () => {
    expect(browser.errors).to.deep.equal([]);
  });
});
