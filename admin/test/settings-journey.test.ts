/**
 * The Settings page in real headless Chromium: one section at a time, linked by the
 * address; the price table searched, a plugin's price overridden in its row (Enter
 * saves, Escape cancels), the override edited and removed, and a new pattern added; each
 * change checked in the gateway's pricing API, not only on screen.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { CHROMIUM, launchBrowser, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };

interface PriceRow {
  model: string;
  input: number;
  output: number;
  source: 'plugin' | 'override';
}

describe('Settings sections and per-row price overrides (headless Chromium)', function () {
  this.timeout(120_000);
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;

  const at = (path: string) => `${tg.url}/admin${path}`;
  const prices = async (): Promise<Record<string, PriceRow>> => {
    const rows = (await (await page.request.get(at('/api/pricing'))).json()) as PriceRow[];
    return Object.fromEntries(rows.map((row) => [row.model, row]));
  };
  const row = (model: string) => page.locator(`tr[data-model="${model}"]`);

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    browser = await launchBrowser();
    page = await browser.open();
    page.setDefaultTimeout(30_000);
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(at('/login'));
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await page.click('button[type=submit]');
    await page.waitForURL((url) => !url.pathname.endsWith('/login'));
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
  });

  it('shows one section at a time, the section in the address', async () => {
    await page.goto(at('/settings'));
    await page.getByRole('button', { name: 'Save settings' }).waitFor();
    const sections = page.getByRole('navigation', { name: 'Settings sections' });
    expect(await sections.getByRole('link').allTextContents()).to.deep.equal([
      'General',
      'Account groups',
      'Pricing',
      'Notifications',
      'Admins',
    ]);
    expect(await page.getByRole('heading', { name: 'Admins' }).count()).to.equal(0);
    await sections.getByRole('link', { name: 'Admins' }).click();
    await page.getByRole('heading', { name: 'Admins' }).waitFor();
    expect(page.url()).to.match(/\?section=admins$/);
    expect(await page.getByRole('button', { name: 'Save settings' }).count()).to.equal(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Admins' }).waitFor();
    expect(await sections.getByRole('link', { name: 'Admins' }).getAttribute('aria-current')).to.equal('page');
  });

  it('searches the price table', async () => {
    await page.goto(at('/settings?section=pricing'));
    await row('echo-1').waitFor();
    const before = await page.locator('[data-testid=price-table] tbody tr').count();
    expect(before).to.be.greaterThan(1);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('zzz-none');
    await page.getByText('No model matches "zzz-none".').waitFor();
    expect(await page.locator('[data-testid=price-table] tbody tr').count()).to.equal(0);
    await page.getByRole('searchbox', { name: 'Search models' }).fill('ECHO-1');
    expect(await page.locator('[data-testid=price-table] tbody tr').count()).to.equal(1);
    await row('echo-1').waitFor();
  });

  it("overrides a plugin's price in its row: Escape cancels, Enter saves", async () => {
    expect((await prices())['echo-1']).to.include({ input: 1, output: 2, source: 'plugin' });
    await page.getByRole('button', { name: 'Override the prices of echo-1' }).click();
    const input = page.getByRole('spinbutton', { name: 'Input (echo-1)' });
    expect(await input.inputValue()).to.equal('1');
    await input.fill('9');
    await input.press('Escape');
    await row('echo-1').getByRole('cell', { name: 'plugin', exact: true }).waitFor();
    expect((await prices())['echo-1']).to.include({ input: 1, source: 'plugin' });

    await page.getByRole('button', { name: 'Override the prices of echo-1' }).click();
    await page.getByRole('spinbutton', { name: 'Input (echo-1)' }).fill('3');
    await page.getByRole('spinbutton', { name: 'Output (echo-1)' }).fill('4');
    await page.getByRole('spinbutton', { name: 'Output (echo-1)' }).press('Enter');
    await page.getByRole('status').filter({ hasText: 'Override of echo-1 saved' }).waitFor();
    await row('echo-1').getByRole('cell', { name: 'override', exact: true }).waitFor();
    expect((await prices())['echo-1']).to.include({ input: 3, output: 4, source: 'override' });
    await page.screenshot({ path: join(SHOTS, 'settings-pricing.png'), fullPage: true });
  });

  it('edits the override, adds a pattern, and removes the override', async () => {
    await page.getByRole('button', { name: 'Edit the override of echo-1' }).click();
    await page.getByRole('spinbutton', { name: 'Output (echo-1)' }).fill('5');
    await page.getByRole('button', { name: 'Save the prices of echo-1' }).click();
    await row('echo-1').getByRole('cell', { name: '5', exact: true }).waitFor();
    expect((await prices())['echo-1']).to.include({ input: 3, output: 5, source: 'override' });

    await page.getByRole('searchbox', { name: 'Search models' }).fill('');
    await page.getByRole('button', { name: 'Add an override' }).click();
    await page.getByRole('textbox', { name: 'Model id or pattern' }).fill('other-*');
    await page.getByRole('spinbutton', { name: 'Input (other-*)' }).fill('0.5');
    await page.getByRole('spinbutton', { name: 'Output (other-*)' }).fill('1.25');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await row('other-*').waitFor();
    expect((await prices())['other-*']).to.include({ input: 0.5, output: 1.25, source: 'override' });
    // The other override survives: every save sends the whole map.
    expect((await prices())['echo-1']).to.include({ output: 5, source: 'override' });

    await page.getByRole('button', { name: 'Remove the override of echo-1' }).click();
    await row('echo-1').getByRole('cell', { name: 'plugin', exact: true }).waitFor();
    const after = await prices();
    expect(after['echo-1']).to.include({ input: 1, output: 2, source: 'plugin' });
    expect(after['other-*']).to.include({ source: 'override' });
  });

  it('reported no page errors', () => {
    expect(browser.errors).to.deep.equal([]);
  });
});
