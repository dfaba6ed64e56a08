/**
 * After `switchyard import crs`, a reference user's scripts keep working: an old `cr_`
 * key reads its stats at the reference's paths, in its shapes, under the ids the reference
 * gave, with the limits and usage that were carried over (fixture: core/test/fixtures/crs,
 * made with the reference's own hashing and encryption).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  ManualClock,
  createTestGateway,
  importCrsIntoGateway,
  loadRedisDump,
  sendRequest,
  startRedisForTests,
  type RedisDumpEntry,
  type TestGateway,
  type TestRedis,
} from '@switchyard/core/testing';
import { meterPlugin } from '../usage/fixtures/meter-plugin.js';

interface Fixture {
  meta: { encryptionKey: string; now: string; ids: Record<string, string>; plaintexts: Record<string, string> };
  redis: RedisDumpEntry[];
}

const fixture = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/crs/crs-fixture.json'), 'utf8'),
) as Fixture;
const { meta } = fixture;

describe('reference stats endpoints for keys imported from the reference', function () {
  this.timeout(20_000);
  let redis: TestRedis;
  let tg: TestGateway;
  const now = Date.parse(meta.now);
  const post = (route: string, body: unknown) => sendRequest(`${tg.url}${route}`, { method: 'POST', body });

  before(async () => {
    redis = await startRedisForTests();
    const url = new URL(redis.url);
    url.pathname = '/12';
    await loadRedisDump(url.toString(), fixture.redis);
    tg = await createTestGateway({ plugins: [meterPlugin], keys: [], clock: new ManualClock(now) });
    await importCrsIntoGateway(tg.gateway, { redisUrl: url.toString(), encryptionKey: meta.encryptionKey, now: () => now });
  });
  after(async () => {
    await tg?.close();
    await redis?.stop();
  });

  it('get-key-id and key-info answer the id the reference gave the key', async () => {
    const id = await post('/apiStats/api/get-key-id', { apiKey: meta.plaintexts.alice });
    expect(id.status, id.text()).to.equal(200);
    expect(id.json()).to.deep.equal({ success: true, data: { id: meta.ids.alice } });
    const info = await sendRequest(`${tg.url}/api/v1/key-info`, { headers: { 'x-api-key': meta.plaintexts.alice! } });
    expect(info.status, info.text()).to.equal(200);
    const body = info.json<{ keyInfo: { id: string; name: string; usage: { total: { requests: number } } } }>();
    expect(body.keyInfo).to.include({ id: meta.ids.alice, name: 'alice-laptop' });
    expect(body.keyInfo.usage.total.requests).to.equal(42);
  });

  it("user-stats gives back the reference's limits, restrictions and carried-over usage", async () => {
    const res = await post('/apiStats/api/user-stats', { apiKey: meta.plaintexts.alice });
    expect(res.status, res.text()).to.equal(200);
    const data = res.json<{ data: Record<string, Record<string, unknown>> }>().data;
    const rated = (await tg.gateway.store.usageAggregates.get(`key:crs_${meta.ids.alice}`, ['all'])).get('all')!.ratedCostMicros;
    expect(data).to.deep.include({ id: meta.ids.alice, name: 'alice-laptop', permissions: ['claude'] });
    expect(data.usage!.total).to.include({ requests: 42, inputTokens: 120_000, outputTokens: 30_000, cost: rated / 1e6 });
    expect(data.limits).to.include({
      concurrencyLimit: 2,
      rateLimitWindow: 60,
      rateLimitRequests: 100,
      rateLimitCost: 3,
      dailyCostLimit: 5,
      totalCostLimit: 50,
      weeklyResetDay: 1,
      weeklyResetHour: 0,
    });
    expect(data.restrictions).to.deep.include({ enableModelRestriction: true, restrictedModels: ['claude-opus-4-1'] });
    // Client ids round-trip to the reference's spelling; the activation mode too.
    const carol = (await post('/apiStats/api/user-stats', { apiKey: meta.plaintexts.carol })).json<{
      data: Record<string, unknown> & { restrictions: Record<string, unknown> };
    }>().data;
    expect(carol).to.include({ id: meta.ids.carol, expirationMode: 'activation', activationDays: 30 });
    expect(carol.restrictions).to.deep.include({ enableClientRestriction: true, allowedClients: ['claude_code', 'codex_cli'] });
  });
});
