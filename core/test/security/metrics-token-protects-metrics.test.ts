/**
 * Issue 14, item 11 (/metrics part): `/metrics` can be protected by a bearer token, set
 * in the config (`usage.metrics.token`) or, like the other secrets, from the environment
 * (`METRICS_TOKEN`); without the right `Authorization: Bearer` it answers 401.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createTestGateway, sendRequest, type TestGateway } from '@switchyard/core/testing';
import { echoPlugin } from 'switchyard-plugin-echo';
import { loadConfig } from '../../src/config/load-config.js';

const TOKEN = 'metrics-token-from-the-environment';

describe('/metrics behind a bearer token from METRICS_TOKEN', () => {
  let dir: string;
  let tg: TestGateway;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sy-metrics-token-'));
    const loaded = await loadConfig({ cwd: dir, env: { METRICS_TOKEN: `  ${TOKEN} ` } });
    expect(loaded.config.usage.metrics.token).to.equal(TOKEN);
    tg = await createTestGateway({ plugins: [echoPlugin], keys: [], config: { usage: loaded.config.usage } });
  });
  after(async () => {
    await tg?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const scrape = (authorization?: string) =>
    sendRequest(`${tg.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

  it('answers 401 without the token, with a wrong one, a longer or shorter one, or another scheme', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer ',
    ]) {
      const res = await scrape(authorization);
      expect(res.status, String(authorization)).to.equal(401);
      expect(res.headers['www-authenticate']).to.match(/^Bearer/);
      expect(res.text()).to.not.contain(TOKEN);
    }
    expect((await sendRequest(`${tg.url}/METRICS`)).status, 'the path in another case').to.equal(401);
  });

  it('serves the exposition with the token', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const res = await scrape(authorization);
      expect(res.status, authorization).to.equal(200);
      expect(res.text()).to.contain('switchyard_');
    }
  });
});
