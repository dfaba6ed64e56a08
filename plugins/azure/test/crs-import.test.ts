/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Azure OpenAI records become azure-openai accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  countActions,
  createTestGateway,
  importCrsIntoGateway,
  loadRedisDump,
  startRedisForTests,
  type RedisDumpEntry,
  type TestGateway,
  type TestRedis,
} from '@switchyard/core/testing';
import openaiPlugin from '@switchyard/plugin-openai';
import { azurePlugin } from '../src/index.js';

const fixtureFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../core/test/fixtures/crs/crs-fixture.json',
);
const fixture = JSON.parse(readFileSync(fixtureFile, 'utf8')) as {
  meta: { encryptionKey: string; now: string; ids: Record<string, string> };
  redis: RedisDumpEntry[];
};

describe('import crs into a gateway with the azure plugin', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let tg: TestGateway;
  let redisUrl: string;

  before(async () => {
    redis = await startRedisForTests();
    const url = new URL(redis.url);
    url.pathname = '/9';
    redisUrl = url.toString();
    await loadRedisDump(redisUrl, fixture.redis);
    tg = await createTestGateway({ plugins: [openaiPlugin, azurePlugin], keys: [] });
  });
  after(async () => {
    await tg?.close();
    await redis?.stop();
  });

  it('creates the accounts, then a second run changes nothing', async () => {
    const options = { redisUrl, encryptionKey: fixture.meta.encryptionKey, now: () => Date.parse(fixture.meta.now) };
    const report = await importCrsIntoGateway(tg.gateway, options);
    for (const [source, type, settings] of [
      ['azure', 'azure-openai', { deployments: { 'gpt-4o': 'gpt-4o' }, apiVersion: '2024-02-01' }],
    ] as [string, string, Record<string, unknown>][]) {
      const id = fixture.meta.ids[source]!;
      const row = report.rows.find((r) => r.section === 'account' && r.source === id);
      expect(row, JSON.stringify(report.rows)).to.include({ action: 'create', target: `crs_${id}` });
      const account = await tg.gateway.store.accounts.get(`crs_${id}`);
      expect(account).to.include({ type, enabled: true });
      expect(account!.settings).to.deep.include(settings);
    }
    const unclaimed = report.rows.filter((r) => r.section === 'account' && r.source.endsWith('*')).map((r) => r.source);
    for (const prefix of ['azure_openai:account:*']) expect(unclaimed).to.not.include(prefix);
    const again = await importCrsIntoGateway(tg.gateway, options);
    expect(countActions(again)).to.include({ create: 0, change: 0 });
  });
});
