/**
 * The notifications card of the settings page in real headless Chromium: add a signed
 * webhook target, press "Send test", and the receiver on 127.0.0.1 gets a verifiable
 * `test` event; the secret never comes back to the page.
 */
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { createTestGateway, startFakeUpstream, waitFor, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { CHROMIUM, launchBrowser, signIn, type TestBrowser } from './browser.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const BUILD = join(root, 'admin', 'build');
const SHOTS = join(root, 'test-output', 'admin');
const ADMIN = { username: 'operator', password: 'journey-password-2' };
const SECRET = 'journey-webhook-secret';

describe('web admin: notifications (headless Chromium)', function () {
  this.timeout(120_000);
  let receiver: FakeUpstream;
  let tg: TestGateway;
  let browser: TestBrowser;
  let page: Page;

  before(async function () {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (see .ci/run)`);
    if (!existsSync(join(BUILD, 'index.html'))) {
      execFileSync('npm', ['run', 'build', '-w', '@switchyard/admin'], { cwd: root, stdio: 'inherit' });
    }
    mkdirSync(SHOTS, { recursive: true });
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(204).end();
    });
    tg = await createTestGateway({
      plugins: [echoPlugin],
      keys: [],
      config: { admin: { ...ADMIN, staticDir: BUILD }, logging: { level: 'warn' } },
    });
    browser = await launchBrowser();
    page = await browser.open();
  });
  after(async () => {
    await browser?.close();
    await tg?.close();
    await receiver?.close();
  });

  it('adds a webhook target and sends it a signed test', async () => {
    await signIn(page, `${tg.url}/admin/login`, ADMIN);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.selectOption('#target-type', 'webhook');
    await page.fill('#target-id', 'ops');
    await page.fill('#target-name', 'Ops hook');
    await page.fill('#target-url', `${receiver.url}/hook`);
    await page.fill('#target-secret', SECRET);
    await page.getByRole('button', { name: 'Save target' }).click();
    await page.getByText('Saved the target ops').waitFor();
    await page.getByRole('button', { name: 'Send test to ops' }).click();
    await page.getByText('Test sent to ops').waitFor();
    await page.screenshot({ path: join(SHOTS, '20-notifications.png'), fullPage: true });

    await waitFor(() => receiver.requests.length === 1, { what: 'the test event' });
    const request = receiver.requests[0]!;
    expect(request.path).to.equal('/hook');
    expect(request.json<{ event: string }>().event).to.equal('test');
    expect(request.headers['x-switchyard-signature']).to.equal(
      `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`,
    );

    await page.reload();
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    expect(await page.content()).to.not.include(SECRET);
    expect(browser.errors).to.deep.equal([]);
  });
});
