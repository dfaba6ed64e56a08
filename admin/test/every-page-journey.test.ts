/**
 * Every page of the web admin (admin pages, the user portal, the public key-usage page,
 * sign-in and registration) in real headless Chromium, in English and Simplified Chinese,
 * light and dark: axe-core finds no serious or critical violation on any of them, nor in
 * the main dialogs (where Tab stays and Escape closes), and each variant's screenshot
 * goes to test-output/admin/pages/. Also
 * the language switch (to Chinese and back, remembered) and the dark theme (the system's
 * preference through colour-scheme emulation, and the toggle, remembered).
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
import { describeFindings, seriousViolations } from './axe.js';
import { CHROMIUM, launchBrowser, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin', 'pages');
const ADMIN = { username: 'operator', password: 'journey-password-1' };
const USER = { username: 'dana', password: 'dana-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-pages';
const LOCALES = ['en', 'zh-CN'] as const;
const THEMES = ['light', 'dark'] as const;

/** The background colour of the page body, as the browser computed it. */
const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
/** Light page backgrounds are bright; dark ones are not (rgb channel sum). */
const isDark = (rgb: string) => (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0) < 200;

describe('every admin page, both languages and both themes: axe-core and screenshots (headless Chromium)', function () {
  this.timeout(180_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let keyPlaintext = '';

  const at = (path: string) => `${tg.url}/admin${path}`;

  /** Chooses the language and theme the way the switches remember them, then opens the page. */
  async function visit(path: string, locale: string, theme: string): Promise<void> {
    await page.evaluate(
      ([chosenLocale, chosenTheme]) => {
        localStorage.setItem('switchyard-locale', chosenLocale!);
        localStorage.setItem('switchyard-theme', chosenTheme!);
      },
      [locale, theme],
    );
    await page.goto(at(path));
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
  }

  /** Every variant of one page: axe finds nothing serious, and a screenshot of each. */
  async function checkPage(name: string, path: string, prepare?: () => Promise<void>): Promise<void> {
    const problems: string[] = [];
    for (const locale of LOCALES) {
      for (const theme of THEMES) {
        await visit(path, locale, theme);
        await prepare?.();
        expect(await page.evaluate(() => document.documentElement.lang)).to.equal(locale);
        expect(isDark(await bodyBackground(page)), `${name} ${theme}`).to.equal(theme === 'dark');
        await page.screenshot({ path: join(SHOTS, `${name}.${locale}.${theme}.png`), fullPage: true });
        const findings = await seriousViolations(page);
        if (findings.length > 0) problems.push(`${name} (${locale}, ${theme}):\n${describeFindings(findings)}`);
      }
    }
    expect(problems, problems.join('\n\n')).to.deep.equal([]);
  }

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    upstream = await startFakeEchoUpstream({ apiKey: UPSTREAM_KEY, intervalMs: 1 });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      accounts: [{ type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } }],
      config: {
        admin: { ...ADMIN, staticDir: BUILD },
        logging: { level: 'warn' },
        auth: { users: { selfRegistration: true } },
      },
    });
    browser = await launchBrowser();
    page = await browser.open();
    // Generous: the machine running the suite may be busy; nothing here waits on a clock.
    page.setDefaultTimeout(30_000);
    await page.goto(at('/login'));
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
  });

  it('axe-core finds what it should (the check is not vacuous)', async () => {
    await page.goto('about:blank');
    await page.setContent('<main><h1>Broken</h1><img src="data:,"><button></button></main>');
    const rules = (await seriousViolations(page)).map((finding) => finding.rule);
    expect(rules).to.include.members(['image-alt', 'button-name']);
    await page.goto(at('/login'));
  });

  it('sign-in and registration pages', async () => {
    await checkPage('login', '/login');
    await checkPage('register', '/register');
  });

  it('the user portal, as a registered user', async () => {
    await visit('/register', 'en', 'light');
    await page.fill('#username', USER.username);
    await page.fill('#password', USER.password);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/admin\/me$/);
    await checkPage('me', '/me');
    await checkPage('me-connect', '/me/connect');
    await page.request.post(at('/api/logout'), { headers: { 'x-requested-with': 'switchyard-admin' } });
  });

  it('every admin page, with a key and a request to show', async () => {
    const login = await page.request.post(at('/api/login'), { data: ADMIN });
    expect(login.status()).to.equal(200);
    const created = await page.request.post(at('/api/keys'), { data: { name: 'pages' } });
    expect(created.status()).to.equal(201);
    keyPlaintext = ((await created.json()) as { plaintext: string }).plaintext;
    const used = await sendRequest(`${tg.url}/echo/v1/echo`, {
      headers: { authorization: `Bearer ${keyPlaintext}` },
      body: { model: 'echo-1', input: 'hello' },
    });
    expect(used.status).to.equal(200);
    for (const [name, path] of [
      ['dashboard', '/'],
      ['accounts', '/accounts'],
      ['keys', '/keys'],
      ['users', '/users'],
      ['usage', '/usage'],
      ['requests', '/requests'],
      ['cards', '/cards'],
      ['connect', '/connect'],
      ['settings', '/settings'],
    ] as const) {
      await checkPage(name, path);
    }
  });

  it('the public key-usage page, empty and showing a key', async () => {
    await checkPage('key-usage', '/key-usage');
    await checkPage('key-usage-shown', '/key-usage', async () => {
      await page.fill('#key', keyPlaintext);
      await page.locator('form:has(#key) button[type=submit]').click();
      await page.getByTestId('key-usage').waitFor();
    });
  });

  it('the main dialogs: keyboard focus stays inside, Escape closes, and axe finds nothing serious', async () => {
    const problems: string[] = [];
    for (const [path, opener] of [
      ['/keys', '[data-testid=create-key], button:has-text("Create key"), button:has-text("创建密钥")'],
      ['/accounts', 'button:has-text("Add account"), button:has-text("添加账号")'],
      ['/cards', 'button:has-text("Create batch"), button:has-text("创建一批")'],
    ] as const) {
      for (const theme of THEMES) {
        await visit(path, 'en', theme);
        await page.locator(opener).first().click();
        const dialog = page.locator('dialog[open]');
        await dialog.waitFor();
        // Past the last control and around again: focus never leaves the dialog.
        const controls = await dialog
          .locator('a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select, textarea')
          .count();
        for (let step = 0; step < controls + 3; step += 1) {
          await page.keyboard.press('Tab');
          expect(
            await page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null),
            `${path}: Tab left the dialog`,
          ).to.equal(true);
        }
        for (let step = 0; step < 3; step += 1) {
          await page.keyboard.press('Shift+Tab');
          expect(
            await page.evaluate(() => document.activeElement?.closest('dialog[open]') !== null),
            `${path}: Shift+Tab left the dialog`,
          ).to.equal(true);
        }
        const findings = await seriousViolations(page);
        if (findings.length > 0) problems.push(`${path} dialog (${theme}):\n${describeFindings(findings)}`);
        await page.screenshot({ path: join(SHOTS, `dialog${path.replace('/', '-')}.en.${theme}.png`) });
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
      }
    }
    expect(problems, problems.join('\n\n')).to.deep.equal([]);
  });

  it('switches to Chinese and back, remembered across reloads, <html lang> following', async () => {
    await visit('/keys', 'en', 'light');
    const nav = page.getByRole('navigation');
    await nav.getByRole('link', { name: 'Keys', exact: true }).waitFor();
    await page.getByTestId('locale-switch').first().selectOption('zh-CN');
    await nav.getByRole('link', { name: '密钥', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('zh-CN');
    await page.reload();
    await nav.getByRole('link', { name: '设置', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('zh-CN');
    await page.getByTestId('locale-switch').first().selectOption('en');
    await nav.getByRole('link', { name: 'Settings', exact: true }).waitFor();
    await page.reload();
    await nav.getByRole('link', { name: 'Settings', exact: true }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).to.equal('en');
  });

  it("follows the system's dark preference, and the toggle overrides it, remembered", async () => {
    await page.evaluate(() => localStorage.removeItem('switchyard-theme'));
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(at('/settings'));
    await page.locator('h1').first().waitFor();
    expect(isDark(await bodyBackground(page)), 'system dark').to.equal(true);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(isDark(await bodyBackground(page)), 'system light').to.equal(false);
    // The toggle cycles system -> light -> dark; dark wins over the light system preference and is remembered.
    const toggle = page.getByTestId('theme-toggle').first();
    expect(await toggle.getAttribute('data-theme-choice')).to.equal('system');
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).to.equal('light');
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).to.equal('dark');
    expect(isDark(await bodyBackground(page)), 'toggled dark').to.equal(true);
    await page.reload();
    await page.locator('h1').first().waitFor();
    expect(isDark(await bodyBackground(page)), 'dark remembered').to.equal(true);
    // Light chosen wins over a dark system; back to system follows it again.
    await page.emulateMedia({ colorScheme: 'dark' });
    await toggle.click();
    expect(await toggle.getAttribute('data-theme-choice')).to.equal('system');
    expect(isDark(await bodyBackground(page)), 'system dark again').to.equal(true);
    await toggle.click();
    expect(isDark(await bodyBackground(page)), 'light over a dark system').to.equal(false);
    await page.emulateMedia({ colorScheme: null });
  });

  it('reported no page errors', () => {
    expect(browser.errors).to.deep.equal([]);
  });
});
