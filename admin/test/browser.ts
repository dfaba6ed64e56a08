/**
 * Starts the system Chromium (Debian `chromium`) headless through playwright-core, with
 * a throwaway profile, and collects page errors so journeys can assert there were none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where Debian installs Chromium (`apt-get install chromium`). */
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A running browser with its profile folder and the errors its pages reported. */
export interface TestBrowser {
  context: BrowserContext;
  errors: string[];
  /** Opens a page with the given viewport; its errors go to `errors`. */
  open(viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'sy-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1366, height: 820 },
  });
  const errors: string[] = [];
  const watch = (page: Page): Page => {
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A 401 on the session probe before login is expected; everything else is a bug.
      if (message.type() === 'error' && !/401|Unauthorized/.test(message.text())) errors.push(`console: ${message.text()}`);
    });
    return page;
  };
  for (const page of context.pages()) watch(page);
  return {
    context,
    errors,
    async open(viewport) {
      const page = watch(await context.newPage());
      if (viewport) await page.setViewportSize(viewport);
      page.setDefaultTimeout(10_000);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs `page` in at `loginUrl` with `credentials` and waits for the dashboard. */
export async function signIn(page: Page, loginUrl: string, credentials: { username: string; password: string }): Promise<void> {
  await page.goto(loginUrl);
  await page.fill('#username', credentials.username);
  await page.fill('#password', credentials.password);
  await page.click('button[type=submit]');
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}
