/**
 * The request log in real headless Chromium (issue 20, "find and export"): an admin
 * filters the log to one key's failed requests, opens one in the detail view, and exports
 * the filtered log as CSV, whose rows are checked; the dashboard's range switches to 7
 * days. Screenshots go to test-output/admin/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, sendRequest, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { startFakeEchoUpstream } from '../../examples/plugin-echo/test/fake-echo-upstream.js';
import { CHROMIUM, launchBrowser, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-123';

describe('request log journey: filter and export (headless Chromium)', function () {
  this.timeout(120_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const at = (path: string) => `${tg.url}/admin${path}`;
  const echo = (key: string, model: string) =>
    sendRequest(`${tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${key}`, 'user-agent': 'journey-cli/1.0' },
      body: { model, input: 'hello' },
    });

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      accounts: [{ type: 'echo-key', name: 'Echo account', credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } }],
      keys: [
        { name: 'alice', limits: { models: { deny: ['forbidden-*'] } } },
        { name: 'bob', limits: { models: { deny: ['forbidden-*'] } } },
      ],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    // alice: two answered, two refused; bob: one answered, one refused.
    expect((await echo(tg.keys['alice']!, 'echo-1')).status).to.equal(200);
    expect((await echo(tg.keys['alice']!, 'forbidden-1')).status).to.equal(403);
    expect((await echo(tg.keys['alice']!, 'echo-1')).status).to.equal(200);
    expect((await echo(tg.keys['alice']!, 'forbidden-2')).status).to.equal(403);
    expect((await echo(tg.keys['bob']!, 'echo-1')).status).to.equal(200);
    expect((await echo(tg.keys['bob']!, 'forbidden-3')).status).to.equal(403);
    await waitFor(async () => (await tg.gateway.store.usage.count()) === 6, { timeoutMs: 5000 });
    browser = await launchBrowser();
    page = await browser.open();
    await page.goto(at('/login'));
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
  });

  it("filters the request log to one key's failed requests and shows one in detail", async () => {
    await page.getByRole('link', { name: 'Request log', exact: true }).click();
    const count = page.getByTestId('request-count');
    await count.filter({ hasText: '6 requests' }).waitFor();
    await page.locator('#f-key').selectOption({ label: 'alice' });
    await page.locator('#f-outcome').selectOption('error');
    await page.getByRole('button', { name: 'Apply' }).click();
    await count.filter({ hasText: '2 requests' }).waitFor();
    expect(page.url()).to.contain(`keyId=${tg.keyIds['alice']}`).and.contain('outcome=error');
    const rows = page.getByTestId('requests-table').locator('tbody tr');
    expect(await rows.count()).to.equal(2);
    for (const text of await rows.allTextContents())
      expect(text).to.contain('alice').and.contain('403').and.contain('model_not_allowed');
    await shot('30-request-log-filtered');
    await rows.first().getByRole('button', { name: 'Details' }).click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    expect(await detail.textContent())
      .to.contain('model_not_allowed')
      .and.contain('journey-cli')
      .and.contain('forbidden-2');
    await shot('31-request-detail');
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'detached' });
    // A filter nothing matches says what to do next.
    await page.locator('#f-search').fill('no-such-thing');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('requests-empty').filter({ hasText: 'clear a filter' }).waitFor();
    await page.locator('#f-search').fill('');
    await page.getByRole('button', { name: 'Apply' }).click();
    await count.filter({ hasText: '2 requests' }).waitFor();
  });

  it('exports the filtered log as CSV: the rows are exactly those requests', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).to.match(/^requests-.*\.csv$/);
    const lines = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    const rows = lines.slice(1).map((line) => line.split(','));
    const cell = (row: string[], name: string) => row[header.indexOf(name)];
    expect(rows).to.have.length(2);
    const stored = await tg.gateway.store.usage.list({ keyId: tg.keyIds['alice']!, outcome: 'error' });
    expect(rows.map((row) => cell(row, 'id'))).to.deep.equal(stored.map((record) => record.id));
    for (const row of rows) {
      expect(cell(row, 'key_name')).to.equal('alice');
      expect(cell(row, 'status')).to.equal('403');
      expect(cell(row, 'reason')).to.equal('model_not_allowed');
      expect(cell(row, 'client')).to.equal('journey-cli');
      expect(cell(row, 'cost_usd')).to.equal('0.000000');
    }
    expect(rows.map((row) => cell(row, 'model'))).to.deep.equal(['forbidden-2', 'forbidden-1']);
  });

  it("switches the dashboard's range to 7 days", async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.locator('#d-range').selectOption('7d');
    await page.waitForURL(/range=7d/);
    await page.getByRole('heading', { name: /Requests · Last 7 days/ }).waitFor();
    await shot('32-dashboard-7d');
  });

  it('fits a phone screen: dashboard, request log and usage', async () => {
    const phone = await browser.open({ width: 390, height: 844 });
    for (const path of ['/', '/requests', '/usage']) {
      await phone.goto(at(path));
      await phone.locator('h1').waitFor();
      await phone.waitForLoadState('networkidle');
      const wide = await phone.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((element) => element.getBoundingClientRect().right > 400 && !element.closest('.table-wrap'))
          .slice(0, 5)
          .map((element) => `${element.tagName}.${element.className}`),
      );
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width, `page ${path} is ${width}px wide on a 390px phone: ${wide.join(' ')}`).to.be.at.most(390);
    }
    await phone.close();
  });

  it('reported no page errors', () => {
    expect(browser.errors).to.deep.equal([]);
  });
});
