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
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

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
        {
          name: 'alice',
          limits: {
            models: { deny: ['forbidden-*'] },
            concurrency: 1,
            costUsd: { daily: 5 },
            windows: [{ period: '5h', requests: 100 }],
          },
        },
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
    await signIn(page, at('/login'), ADMIN);
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

  it('shows a key holder two keys at once, each with its models, daily chart and limits; on a phone too', async () => {
    const visitor = await browser.open();
    await visitor.goto(at('/key-usage'));
    await visitor.fill('#key', `${tg.keys['alice']}\n${tg.keys['bob']}`);
    await visitor.getByRole('button', { name: 'Show usage' }).click();
    const summary = visitor.getByTestId('keys-summary');
    await summary.waitFor();
    // The totals come from the aggregates, written about once a second: ask again until they are in (bounded).
    for (let attempt = 0; attempt < 20 && !((await summary.textContent()) ?? '').includes('6'); attempt += 1) {
      await visitor.waitForTimeout(250);
      await visitor.getByRole('button', { name: 'Show usage' }).click();
    }
    const rows = summary.locator('tbody tr');
    expect(await rows.count()).to.equal(2);
    expect(await summary.locator('tfoot').textContent()).to.contain('6');
    const alice = visitor.locator('[data-testid=key-usage][data-key=alice]');
    const bob = visitor.locator('[data-testid=key-usage][data-key=bob]');
    expect(await alice.textContent())
      .to.contain('1 request at a time')
      .and.contain('4 requests, 2 refused or failed')
      .and.contain('Daily spending cap')
      .and.contain('resets');
    expect(await alice.locator('progress').count()).to.equal(2);
    expect(await alice.locator('canvas').count()).to.equal(1);
    // This month by model adds up to this month's requests.
    const models = alice.getByTestId('key-models');
    expect(await models.locator('tfoot').textContent()).to.contain('4');
    expect(await models.textContent()).to.contain('echo-1');
    expect(await bob.textContent())
      .to.contain('2 requests, 1 refused or failed')
      .and.contain('This key has no usage limits');
    expect(await visitor.content()).to.not.contain(tg.keys['alice']!);
    // Money is exact: micro-dollar amounts keep their digits instead of rounding to $0.00.
    expect(await alice.locator('.periods').textContent()).to.match(/\$0\.0000\d{2}/);
    await visitor.screenshot({ path: join(SHOTS, '33-key-usage-two-keys.png'), fullPage: true });
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.waitForTimeout(100);
    const width = await visitor.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `the key-usage page is ${width}px wide on a 390px phone`).to.be.at.most(390);
    await visitor.screenshot({ path: join(SHOTS, '34-key-usage-phone.png'), fullPage: true });
    // In Chinese: the same page, its words and rules from the catalog.
    await visitor.evaluate(() => localStorage.setItem('switchyard-locale', 'zh-CN'));
    await visitor.reload();
    await visitor.fill('#key', `${tg.keys['alice']}\n${tg.keys['bob']}`);
    await visitor.getByRole('button', { name: '查看用量' }).click();
    await alice.waitFor();
    expect(await alice.textContent())
      .to.contain('一次只能处理 1 个请求')
      .and.contain('本月各模型')
      .and.contain('每日费用上限');
    await visitor.screenshot({ path: join(SHOTS, '35-key-usage-zh.png'), fullPage: true });
    await visitor.close();
  });

  it('reported no page errors', () => {
    expect(browser.errors).to.deep.equal([]);
  });
});
