/**
 * Editing keys and accounts in the web admin, in real headless Chromium against a real
 * gateway with the echo plugin and a fake echo upstream: a key's limits and binding
 * changed in its dialog are enforced on the next requests; a validation error shows next
 * to its field; records the config file declares open read-only with the reason; an
 * account's scheduling edit (dedicated) keeps unbound keys off it; stored secrets show
 * Replace and Show, never their value; row actions stay on one line. Screenshots go to
 * test-output/admin/ (keys-*.png).
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
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-1' };
const UPSTREAM_KEY = 'echo-upstream-key-123';
const DECLARED_KEY = 'sy_declared-in-the-config-file-0001';

describe('web admin: editing keys and accounts (headless Chromium)', function () {
  this.timeout(120_000);
  let upstream: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;
  let token = '';

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const at = (path: string) => `${tg.url}/admin${path}`;
  const echo = (key: string, model = 'echo-1') =>
    sendRequest(`${tg.url}/echo/v1/echo`, { headers: { authorization: `Bearer ${key}` }, body: { model, input: 'hello' } });
  /** The account ids of the newest `count` requests, oldest first. */
  const servedBy = async (count: number) =>
    (await tg.usageRecords({ count }))
      .slice(0, count)
      .map((record) => record.accountId)
      .reverse();
  const adminApi = (method: string, path: string, body?: unknown) =>
    sendRequest(`${tg.url}/admin/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body === undefined ? {} : { body }),
    });

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
      config: {
        admin: { ...ADMIN, staticDir: BUILD },
        logging: { level: 'warn' },
        accounts: [
          { id: 'declared', type: 'echo-key', name: 'Declared', credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url } },
        ],
        keys: [{ name: 'declared-key', key: DECLARED_KEY }],
        scheduling: { accounts: { declared: { dedicated: true, weight: 2 } } },
      },
    });
    token = (await sendRequest(`${tg.url}/admin/api/login`, { body: ADMIN })).json<{ token: string }>().token;
    for (const name of ['First', 'Second']) {
      const res = await adminApi('POST', 'accounts', {
        id: name.toLowerCase(),
        type: 'echo-key',
        name,
        credentials: { apiKey: UPSTREAM_KEY, baseUrl: upstream.url },
      });
      expect(res.status, res.text()).to.equal(201);
    }
    browser = await launchBrowser();
    page = await browser.open();
    // The machine is shared: allow a slow first page load.
    page.setDefaultTimeout(30_000);
    await signIn(page, at('/login'), ADMIN);
  });

  after(async () => {
    await browser?.close();
    await tg?.close();
    await upstream?.close();
  });

  it("edits a key's limits and binding, and the gateway enforces them", async () => {
    const { key } = await tg.gateway.createKey({ name: 'editable' });
    // Unbound, the pool alternates between First and Second (least recently used).
    expect((await echo(key)).status).to.equal(200);
    expect((await echo(key)).status).to.equal(200);
    expect(new Set(await servedBy(2)).size).to.equal(2);

    await page.getByRole('link', { name: 'Keys', exact: true }).click();
    const row = page.locator('tr[data-key="editable"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit key editable' });
    await dialog.locator('#key-binding').selectOption('account');
    await dialog.locator('#key-bind-account').selectOption('second');
    await dialog.getByRole('button', { name: 'Add a window' }).click();
    await dialog.locator('#key-window-0-period').fill('1h');
    await dialog.locator('#key-window-0-requests').fill('2');
    await dialog.locator('#key-allow').fill('echo-*');
    await dialog.locator('input[name=key-expiry][value=firstUse]').check();
    await dialog.locator('#key-expires-after').fill('30d');
    await dialog.locator('#key-multiplier').fill('2');
    await shot('keys-01-edit-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByTestId('key-limits').filter({ hasText: 'account second' }).waitFor();
    expect(await row.getByTestId('key-limits').textContent())
      .to.contain('2 req/1h')
      .and.contain('models: echo-*')
      .and.contain('cost ×2');
    expect(await row.textContent()).to.contain('expires 30d after first use');
    await shot('keys-02-after-edit');

    // Enforced: bound to Second, a model outside echo-* refused, and the window (counted from the edit) full after two.
    expect((await echo(key)).status).to.equal(200);
    expect((await echo(key)).status).to.equal(200);
    expect(await servedBy(2)).to.deep.equal(['second', 'second']);
    const denied = await echo(key, 'other-1');
    expect(denied.status).to.equal(403);
    expect((await echo(key)).status).to.equal(429);

    // Reopened, the dialog shows what was saved.
    await row.getByRole('button', { name: 'Edit' }).click();
    expect(await dialog.locator('#key-bind-account').inputValue()).to.equal('second');
    expect(await dialog.locator('#key-window-0-requests').inputValue()).to.equal('2');
    expect(await dialog.locator('#key-expires-after').inputValue()).to.equal('30d');
    await dialog.getByRole('button', { name: 'Close' }).click();
  });

  it('shows a validation error next to its field', async () => {
    const row = page.locator('tr[data-key="editable"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit key editable' });
    // An alias line the form cannot read is marked before anything is sent.
    await dialog.locator('#key-aliases').fill('broken');
    await dialog.getByRole('button', { name: 'Save' }).click();
    expect(await dialog.locator('#key-aliases-error').textContent()).to.equal('Line 1: write requested=served.');
    await dialog.locator('#key-aliases').fill('');
    await dialog.locator('#key-window-0-period').fill('soon');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const error = dialog.locator('#key-window-0-period-error');
    await error.waitFor();
    expect(await error.textContent()).to.contain('a duration such as');
    expect(await dialog.locator('#key-window-0-period').getAttribute('aria-invalid')).to.equal('true');
    expect(await dialog.locator('#key-window-0-period').getAttribute('aria-describedby')).to.contain('key-window-0-period-error');
    await shot('keys-03-field-error');
    await dialog.getByRole('button', { name: 'Close' }).click();
    const stored = await tg.gateway.store.keys.list();
    expect(stored.find((key) => key.name === 'editable')?.limits['windows']).to.deep.equal([{ period: '1h', requests: 2 }]);
  });

  it('shows the key and the account the config file declares as read-only, with the reason', async () => {
    const row = page.locator('tr[data-key="declared-key"]');
    expect(await row.getByTestId('config-owned').textContent()).to.equal('config file');
    expect(await row.getByRole('button', { name: 'More' }).count()).to.equal(0);
    await row.getByRole('button', { name: 'View' }).click();
    const dialog = page.getByRole('dialog', { name: 'Key declared-key' });
    expect(await dialog.getByRole('note').textContent()).to.contain('Declared in the config file');
    expect(await dialog.locator('#key-name').isDisabled()).to.equal(true);
    expect(await dialog.getByRole('button', { name: 'Save' }).count()).to.equal(0);
    await shot('keys-04-config-owned-key');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('link', { name: 'Accounts', exact: true }).click();
    const account = page.locator('tr[data-account="Declared"]');
    await account.waitFor();
    expect(await account.getByTestId('config-owned').count()).to.equal(1);
    expect(await account.textContent())
      .to.contain('dedicated')
      .and.contain('weight 2');
    await account.getByRole('button', { name: 'View' }).click();
    const view = page.getByRole('dialog', { name: 'Account Declared' });
    expect(await view.getByRole('note').textContent()).to.contain('Declared in the config file');
    expect(await view.locator('#account-name').isDisabled()).to.equal(true);
    // Scheduling is a run-time control: editable, the config's values shown as its defaults.
    expect(await view.locator('#sched-weight').isDisabled()).to.equal(false);
    expect(await view.getByTestId('scheduling').textContent()).to.contain('From the config file: 2');
    await shot('keys-05-config-owned-account');
    await view.getByRole('button', { name: 'Close' }).click();
  });

  it("edits an account's scheduling, and a dedicated account no longer serves unbound keys", async () => {
    const row = page.locator('tr[data-account="First"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit First' });
    await dialog.locator('#sched-dedicated').selectOption('yes');
    await dialog.locator('#sched-weight').fill('3');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row.getByText('weight 3').waitFor();
    expect(await row.textContent()).to.contain('dedicated');
    const first = (await adminApi('GET', 'accounts/first')).json<{ scheduling: unknown }>();
    expect(first.scheduling).to.deep.equal({ dedicated: true, weight: 3, fromConfig: [] });
    await shot('keys-06-accounts-scheduling');

    const { key } = await tg.gateway.createKey({ name: 'pool' });
    for (let count = 0; count < 3; count += 1) expect((await echo(key)).status).to.equal(200);
    expect(await servedBy(3)).to.deep.equal(['second', 'second', 'second']);
  });

  it('shows stored secrets as Replace and Show, and an account problem next to its field', async () => {
    const row = page.locator('tr[data-account="Second"]');
    await row.getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit Second' });
    await dialog.getByTestId('secret-stored').waitFor();
    expect(await dialog.locator('#cred-apiKey').evaluate((element) => element.tagName)).to.equal('SPAN');
    await dialog.getByRole('button', { name: 'Replace' }).click();
    const secret = dialog.locator('input#cred-apiKey');
    expect(await secret.getAttribute('type')).to.equal('password');
    await secret.fill('typed-but-not-saved');
    await dialog.getByRole('button', { name: 'Show' }).click();
    expect(await secret.getAttribute('type')).to.equal('text');
    await dialog.getByRole('button', { name: 'Keep the stored one' }).click();
    await dialog.getByTestId('secret-stored').waitFor();
    // Labels come from the schemas' titles (the core's baseUrl says "Base URL").
    expect(await dialog.locator('label[for=cred-baseUrl]').textContent()).to.contain('Base URL');
    await dialog.locator('#cred-baseUrl').fill('not a url');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const error = dialog.locator('#cred-baseUrl-error');
    await error.waitFor();
    expect((await error.textContent())?.toLowerCase()).to.contain('url');
    await shot('keys-07-account-field-error');
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await page.content()).to.not.contain(UPSTREAM_KEY);
  });

  it('keeps account actions on one line and groups the Connect buttons in one menu', async () => {
    for (const name of ['Declared', 'First', 'Second']) {
      const actions = page.locator(`tr[data-account="${name}"] .row-actions`);
      const box = await actions.boundingBox();
      const button = await actions.getByRole('button').first().boundingBox();
      expect(box!.height, `${name}'s actions`).to.be.below(button!.height * 1.5);
    }
    expect(await page.getByRole('button', { name: /^Connect Flow demo/ }).count()).to.equal(0);
    await page.getByRole('button', { name: /^Connect…/ }).click();
    await page
      .getByRole('button', { name: /^Connect Flow demo/ })
      .first()
      .waitFor();
    await shot('keys-08-connect-menu');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('button', { name: /^Connect Flow demo/ }).count()).to.equal(0);
    // The 400s are the two refused saves above.
    expect(browser.errors.filter((error) => !error.includes('status of 400'))).to.deep.equal([]);
  });
});
