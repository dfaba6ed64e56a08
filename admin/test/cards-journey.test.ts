/**
 * Quota cards in real headless Chromium: an admin creates a batch (the codes shown once,
 * downloadable), a key holder redeems one on the public key-usage page and sees the cap
 * rise, the refusals read in the holder's language, and the admin sees the redemption and
 * revokes the rest. Screenshots go to test-output/admin/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };

describe('quota cards journey (headless Chromium)', function () {
  this.timeout(120_000);
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let holderKey = '';
  let codes: string[] = [];

  const shot = (name: string, target: Page = page) => target.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const at = (path: string) => `${tg.url}/admin${path}`;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [{ name: 'holder', limits: { costUsd: { total: 10 } } }],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    holderKey = tg.keys['holder']!;
    browser = await launchBrowser();
    page = await browser.open();
    await signIn(page, at('/login'), ADMIN);
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
  });

  it('lets the admin create a batch whose codes are shown once and can be downloaded', async () => {
    await page.getByRole('link', { name: 'Cards', exact: true }).click();
    await page.getByRole('heading', { name: 'Quota cards' }).waitFor();
    await page.getByTestId('locale-switch').first().selectOption('en');
    await page.getByRole('button', { name: 'Create batch' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a batch of cards' });
    await dialog.locator('#card-credit').fill('5');
    await dialog.locator('#card-count').fill('3');
    await dialog.locator('#card-note').fill('journey batch');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const once = page.getByRole('dialog', { name: 'Copy the codes now' });
    codes = ((await once.getByTestId('new-card-codes').textContent()) ?? '').trim().split('\n');
    expect(codes).to.have.length(3);
    for (const code of codes) expect(code).to.match(/^SYC(-[2-9A-HJKMNP-Z]{4}){4}$/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      once.getByRole('button', { name: 'Download .txt' }).click(),
    ]);
    expect(
      readFileSync((await download.path())!, 'utf8')
        .trim()
        .split('\n'),
    ).to.deep.equal(codes);
    await shot('20-cards-codes-once');
    await once.getByRole('button', { name: 'I have stored them' }).click();
    const row = page.locator('tr[data-batch]').filter({ hasText: 'journey batch' });
    await row.waitFor();
    expect(await row.textContent()).to.contain('$5 credit');
    expect(await page.content()).to.not.contain(codes[0]);
  });

  it('lets the key holder redeem a card on the key-usage page and see the cap rise', async () => {
    const visitor = await browser.open();
    await visitor.goto(at('/key-usage'));
    await visitor.fill('#key', holderKey);
    await visitor.getByRole('button', { name: 'Show usage' }).click();
    const usage = visitor.getByTestId('key-usage');
    await usage.waitFor();
    expect(await usage.textContent()).to.contain('$10.00');
    const form = visitor.getByTestId('redeem-card');
    await form.getByRole('combobox').selectOption('en');
    await form.locator('#card-code').fill(codes[0]!.toLowerCase());
    await form.getByRole('button', { name: 'Redeem' }).click();
    await form.getByRole('status').filter({ hasText: 'Card redeemed.' }).waitFor();
    expect(await form.getByRole('status').textContent()).to.contain('$10.00 → $15.00');
    await usage.filter({ hasText: '$15.00' }).waitFor();
    await shot('21-card-redeemed', visitor);

    // The same code again: refused, in the holder's language.
    await form.locator('#card-code').fill(codes[0]!);
    await form.getByRole('button', { name: 'Redeem' }).click();
    await form.getByRole('alert').filter({ hasText: 'This card has already been redeemed.' }).waitFor();
    await form.getByRole('combobox').selectOption('zh-CN');
    await form.getByRole('heading', { name: '兑换额度卡' }).waitFor();
    await form.locator('#card-code').fill('SYC-2222-3333-4444-5555');
    await form.getByRole('button', { name: '兑换' }).click();
    await form.getByRole('alert').filter({ hasText: '卡号无效' }).waitFor();
    await shot('22-card-refused-zh', visitor);
    await form.getByRole('combobox').selectOption('en');
    expect(await visitor.content()).to.not.contain(holderKey);
    await visitor.close();
  });

  it('shows the admin the redemption and revokes the unused cards', async () => {
    await page.reload();
    const audit = page.getByTestId('card-redemptions');
    await audit.waitFor();
    expect(await audit.textContent())
      .to.contain('holder')
      .and.contain(`SYC-…-${codes[0]!.slice(-4)}`)
      .and.contain('$10.00 → $15.00');
    const row = page.locator('tr[data-batch]').filter({ hasText: 'journey batch' });
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Revoke unused' }).click();
    await page
      .locator('tr[data-batch]')
      .filter({ hasText: 'journey batch' })
      .getByRole('button', { name: 'Revoke unused' })
      .waitFor({ state: 'detached' });
    await row.getByRole('button', { name: 'Cards' }).click();
    const cards = page.getByTestId('batch-cards');
    await cards.waitFor();
    expect(
      (await cards.locator('tbody tr').allTextContents()).map((text) => /redeemed|revoked/.exec(text)?.[0]).sort(),
    ).to.deep.equal(['redeemed', 'revoked', 'revoked']);
    await shot('23-cards-admin');
    // The two refused redemptions are answered 400 and 404 on purpose; nothing else may fail.
    const expected = /Failed to load resource: the server responded with a status of (400|404)/;
    expect(browser.errors.filter((error) => !expected.test(error))).to.deep.equal([]);
  });
});
