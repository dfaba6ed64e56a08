/**
 * The reference relay's key-holder statistics endpoints answer at its paths in its JSON
 * shapes (field names, nesting, number formats, error shapes and statuses), against a
 * real gateway with real usage recorded through a fake upstream; only about the caller's key.
 */
import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import { meterPlugin } from '../usage/fixtures/meter-plugin.js';

/** The meter plugin, its account type declaring where the reference binds a key to such an account. */
const meterWithImports: SwitchyardPlugin = {
  ...meterPlugin,
  accountTypes: (meterPlugin.accountTypes ?? []).map((type) => ({
    ...type,
    imports: [
      {
        source: 'crs',
        keyPrefix: 'meter_account:',
        salt: 'meter',
        keyBindings: [{ field: 'meterAccountId', prefix: 'm:' }],
        map: () => undefined,
      },
    ],
  })),
};
import { startMeterUpstream } from '../usage/fixtures/meter-upstream.js';

/** The token counts of the reference's `getUsageStats`, in its field order. */
const COUNT_FIELDS = ['tokens', 'inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens', 'allTokens', 'requests'];

interface Counts {
  tokens: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreateTokens: number;
  cacheReadTokens: number;
  allTokens: number;
  requests: number;
}

interface UsageStats {
  total: Counts;
  daily: Counts;
  monthly: Counts;
  averages: { rpm: number; tpm: number; dailyRequests: number; dailyTokens: number };
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`reference stats endpoints (${store})`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      sendRequest(`${tg.url}${path}`, { method: 'POST', body, headers });

    before(async () => {
      upstream = await startMeterUpstream();
      tg = await createTestGateway({
        plugins: [meterWithImports],
        store,
        keys: [
          {
            name: 'alice',
            limits: {
              costMultiplier: 2,
              concurrency: 3,
              costUsd: {
                daily: 1,
                total: 5,
                weeklyReset: { day: 3, hour: 4 },
                weeklyByModel: [{ name: 'big', models: ['meter-big'], usd: 10 }],
              },
              windows: [{ period: '1h', requests: 100, tokens: 50_000 }],
              models: { deny: ['meter-secret*'] },
            },
          },
          { name: 'bob' },
          { name: 'carol' },
          { name: 'dave' },
          { name: 'erin', limits: { clients: ['some-cli', 'other-cli'], permissions: ['meter'] } },
          { name: 'frank', limits: { expiresAfterFirstUse: '30d' } },
          { name: 'grace', limits: { expiresAfterFirstUse: '7d' } },
          { name: 'henry' },
        ],
        accounts: [{ type: 'meter-upstream', name: 'one', credentials: { token: 'meter-token', baseUrl: upstream.url } }],
      });
      let sent = 0;
      const send = async (key: string, model: string, usage: object) => {
        const res = await sendRequest(`${tg.url}/meter/v1/meter`, { headers: { 'x-api-key': key }, body: { model, usage } });
        expect(res.status, res.text()).to.equal(200);
        sent += 1;
        await tg.gateway.settled();
        expect(await tg.gateway.store.usage.count()).to.equal(sent);
      };
      // alice: 2 x meter-big (1000 in, 100 out, 4500 micros each) + meter-small (1000 in, 800 micros), rated x2.
      await send(tg.keys['alice']!, 'meter-big', { input: 1000, output: 100 });
      await send(tg.keys['alice']!, 'meter-big', { input: 1000, output: 100 });
      await send(tg.keys['alice']!, 'meter-small', { input: 1000, output: 0, cache_5m: 10, cache_read: 5 });
      await send(tg.keys['bob']!, 'meter-big', { input: 99_999, output: 0 });
      // frank's first use activates him; grace is never used.
      await send(tg.keys['frank']!, 'meter-small', { input: 1, output: 1 });
      // carol is switched off and dave has expired (neither was used, so no cached copy is stale).
      await tg.gateway.store.keys.update(tg.keyIds['carol']!, { enabled: false });
      await tg.gateway.store.keys.update(tg.keyIds['dave']!, { expiresAt: '2020-01-01T00:00:00.000Z' });
      // henry (never used yet) is bound to the account.
      await tg.gateway.store.keys.update(tg.keyIds['henry']!, { limits: { binding: { account: tg.accountIds[0]! } } });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    const aliceLifetime: Counts = {
      tokens: 3215,
      inputTokens: 3000,
      outputTokens: 200,
      cacheCreateTokens: 10,
      cacheReadTokens: 5,
      allTokens: 3215,
      requests: 3,
    };

    function expectUsageStats(usage: UsageStats): void {
      expect(Object.keys(usage)).to.deep.equal(['total', 'daily', 'monthly', 'averages']);
      expect(Object.keys(usage.total)).to.deep.equal(COUNT_FIELDS);
      expect(usage.total).to.deep.equal(aliceLifetime);
      expect(usage.daily).to.deep.equal(aliceLifetime);
      expect(usage.monthly).to.deep.equal(aliceLifetime);
      // The key is younger than a day: averages over one day, rounded to two decimals.
      expect(usage.averages).to.deep.equal({ rpm: 0, tpm: 2.23, dailyRequests: 3, dailyTokens: 3215 });
    }

    it('GET /api/v1/key-info answers { keyInfo: { id, name, tokenLimit, usage }, timestamp }', async () => {
      const res = await sendRequest(`${tg.url}/api/v1/key-info`, { headers: { 'x-api-key': tg.keys['alice']! } });
      expect(res.status).to.equal(200);
      const body = res.json<{ keyInfo: Record<string, unknown> & { usage: UsageStats }; timestamp: string }>();
      expect(Object.keys(body)).to.deep.equal(['keyInfo', 'timestamp']);
      expect(Object.keys(body.keyInfo)).to.deep.equal(['id', 'name', 'tokenLimit', 'usage']);
      expect(body.keyInfo).to.include({ id: tg.keyIds['alice'], name: 'alice', tokenLimit: 50_000 });
      expectUsageStats(body.keyInfo.usage);
      expect(new Date(body.timestamp).toISOString()).to.equal(body.timestamp);
    });

    it('GET /api/v1/usage answers { usage, limits: { tokens, requests }, timestamp }, key in any usual header', async () => {
      const res = await sendRequest(`${tg.url}/api/v1/usage`, { headers: { authorization: `Bearer ${tg.keys['alice']}` } });
      expect(res.status).to.equal(200);
      const body = res.json<{ usage: UsageStats; limits: unknown; timestamp: string }>();
      expect(Object.keys(body)).to.deep.equal(['usage', 'limits', 'timestamp']);
      expectUsageStats(body.usage);
      expect(body.limits).to.deep.equal({ tokens: 50_000, requests: 0 });
      const bob = await sendRequest(`${tg.url}/api/v1/usage`, { headers: { 'x-goog-api-key': tg.keys['bob']! } });
      expect(bob.json<{ usage: UsageStats }>().usage.total).to.include({ inputTokens: 99_999, requests: 1 });
      expect(bob.text()).not.to.contain(tg.keyIds['alice']);
    });

    it('GET /api/v1/key-info and /api/v1/usage refuse as the reference: missing, malformed, unknown, disabled, expired', async () => {
      const cases: [Record<string, string>, string, string][] = [
        [{}, 'Missing API key', 'Please provide an API key in the x-api-key, x-goog-api-key, or Authorization header'],
        [{ 'x-api-key': 'short' }, 'Invalid API key format', 'API key format is invalid'],
        [{ 'x-api-key': 'x'.repeat(513) }, 'Invalid API key format', 'API key format is invalid'],
        [{ 'x-api-key': 'sy_nope-nope-nope-nope' }, 'Invalid API key', 'API key not found'],
        [{ 'x-api-key': tg.keyIds['alice']! }, 'Invalid API key', 'API key not found'],
        [{ 'x-api-key': tg.keys['carol']! }, 'Invalid API key', 'API key is disabled'],
        [{ 'x-api-key': tg.keys['dave']! }, 'Invalid API key', 'API key has expired'],
      ];
      for (const path of ['/api/v1/key-info', '/api/v1/usage']) {
        for (const [headers, error, message] of cases) {
          const res = await sendRequest(`${tg.url}${path}`, { headers });
          expect(res.status, `${path} ${error}`).to.equal(401);
          expect(res.json(), `${path} ${JSON.stringify(headers).slice(0, 40)}`).to.deep.equal({ error, message });
        }
      }
    });

    it('POST /apiStats/api/get-key-id gives the id for the key, and the reference refusals', async () => {
      const ok = await post('/apiStats/api/get-key-id', { apiKey: tg.keys['alice'] });
      expect(ok.status).to.equal(200);
      expect(ok.json()).to.deep.equal({ success: true, data: { id: tg.keyIds['alice'] } });
      const refusals: [unknown, number, string, string][] = [
        [{}, 400, 'API Key is required', 'Please provide your API Key'],
        [{ apiKey: '' }, 400, 'API Key is required', 'Please provide your API Key'],
        [{ apiKey: 12345678901 }, 400, 'Invalid API key format', 'API key format is invalid'],
        [{ apiKey: 'short' }, 400, 'Invalid API key format', 'API key format is invalid'],
        [{ apiKey: 'sy_nope-nope-nope-nope' }, 401, 'Invalid API key', 'API key not found'],
        [{ apiKey: tg.keys['carol'] }, 401, 'Invalid API key', 'API key is disabled'],
        ['{"apiKey": ', 400, 'Invalid request', 'The request body must be a JSON object'],
        [[tg.keys['alice']], 400, 'Invalid request', 'The request body must be a JSON object'],
      ];
      for (const [body, status, error, message] of refusals) {
        const res = await post(
          '/apiStats/api/get-key-id',
          body,
          typeof body === 'string' ? { 'content-type': 'application/json' } : {},
        );
        expect(res.status, JSON.stringify(body)).to.equal(status);
        expect(res.json(), JSON.stringify(body)).to.deep.equal({ error, message });
      }
      const huge = await post('/apiStats/api/get-key-id', { apiKey: tg.keys['alice'], pad: 'x'.repeat(20_000) });
      expect(huge.status).to.equal(413);
      expect(huge.json()).to.have.property('error', 'Request too large');
    });

    it('POST /apiStats/api/user-stats answers the reference data object for the key in the body', async () => {
      const res = await post('/apiStats/api/user-stats', { apiKey: tg.keys['alice'] });
      expect(res.status, res.text()).to.equal(200);
      const { success, data } = res.json<{ success: boolean; data: Record<string, unknown> }>();
      expect(success).to.equal(true);
      expect(Object.keys(data)).to.deep.equal([
        'id',
        'name',
        'description',
        'isActive',
        'createdAt',
        'expiresAt',
        'expirationMode',
        'isActivated',
        'activationDays',
        'activatedAt',
        'permissions',
        'usage',
        'limits',
        'accounts',
        'restrictions',
        'serviceRates',
      ]);
      expect(data).to.include({
        id: tg.keyIds['alice'],
        name: 'alice',
        description: '',
        isActive: true,
        expirationMode: 'fixed',
      });
      expect(data).to.deep.include({
        isActivated: true,
        activationDays: 0,
        activatedAt: null,
        permissions: [],
        serviceRates: {},
      });
      // Lifetime usage with the rated cost (what limits count) in dollars, printed the reference's way.
      const cost = (2 * (9000 + 810)) / 1e6;
      expect(data.usage).to.deep.equal({ total: { ...aliceLifetime, cost, formattedCost: `$${cost.toFixed(4)}` } });
      expect(data.limits).to.deep.equal({
        tokenLimit: 50_000,
        concurrencyLimit: 3,
        rateLimitWindow: 60,
        rateLimitRequests: 100,
        rateLimitCost: 0,
        dailyCostLimit: 1,
        totalCostLimit: 5,
        weeklyOpusCostLimit: 10,
        weeklyResetDay: 3,
        weeklyResetHour: 4,
        currentWindowRequests: 3,
        currentWindowTokens: 3215,
        currentWindowCost: 0,
        currentDailyCost: cost,
        currentTotalCost: cost,
        // The first weekly cap for a family of models: rated spend on meter-big this week.
        weeklyOpusCost: (2 * 9000) / 1e6,
        windowStartTime: null,
        windowEndTime: null,
        windowRemainingSeconds: null,
      });
      // One field per binding field the loaded account types declare for the reference; null when unbound.
      expect(data.accounts).to.deep.equal({ meterAccountId: null, details: null });
      const henry = (await post('/apiStats/api/user-stats', { apiKey: tg.keys['henry'] })).json<{
        data: { accounts: unknown };
      }>();
      expect(henry.data.accounts).to.deep.equal({ meterAccountId: `m:${tg.accountIds[0]}`, details: null });
      expect(data.restrictions).to.deep.equal({
        enableModelRestriction: true,
        restrictedModels: ['meter-secret*'],
        enableClientRestriction: false,
        allowedClients: [],
      });
      // Client ids in the reference's spelling (underscores), permissions as its list of services.
      const erin = (await post('/apiStats/api/user-stats', { apiKey: tg.keys['erin'] })).json<{
        data: Record<string, unknown>;
      }>();
      expect(erin.data.permissions).to.deep.equal(['meter']);
      expect(erin.data.restrictions).to.deep.equal({
        enableModelRestriction: false,
        restrictedModels: [],
        enableClientRestriction: true,
        allowedClients: ['some_cli', 'other_cli'],
      });
      expect(res.text()).not.to.contain(tg.keyIds['bob']);
    });

    it('POST /apiStats/api/user-stats tells an activation key as the reference: activated by its first use', async () => {
      const stats = async (name: string) =>
        (await post('/apiStats/api/user-stats', { apiKey: tg.keys[name] })).json<{ data: Record<string, unknown> }>().data;
      const frank = await stats('frank');
      expect(frank).to.include({ expirationMode: 'activation', isActivated: true, activationDays: 30 });
      const activatedAt = Date.parse(frank.activatedAt as string);
      expect(Math.abs(activatedAt - Date.now())).to.be.below(60_000);
      expect(Date.parse(frank.expiresAt as string) - activatedAt).to.equal(30 * 86_400_000);
      expect(await stats('grace')).to.deep.include({
        expirationMode: 'activation',
        isActivated: false,
        activationDays: 7,
        activatedAt: null,
        expiresAt: '',
      });
    });

    it('POST /apiStats/api/user-stats refuses as the reference, and never answers to a key id alone', async () => {
      const refusals: [unknown, number, string][] = [
        [{}, 400, 'API Key or ID is required'],
        [{ apiKey: 'short' }, 400, 'Invalid API key format'],
        [{ apiKey: 'sy_nope-nope-nope-nope' }, 401, 'Invalid API key'],
        [{ apiKey: tg.keyIds['alice'] }, 401, 'Invalid API key'],
        [{ apiId: tg.keyIds['alice'] }, 401, 'API key required'],
        [{ apiKey: tg.keys['dave'] }, 401, 'Invalid API key'],
      ];
      for (const [body, status, error] of refusals) {
        const res = await post('/apiStats/api/user-stats', body);
        expect(res.status, JSON.stringify(body)).to.equal(status);
        expect(res.json<{ error: string; message: string }>(), JSON.stringify(body)).to.include({ error });
        expect(res.text()).not.to.contain('"success"');
      }
    });

    it('POST /apiStats/api/user-model-stats lists usage by model with the reference cost fields', async () => {
      const res = await post('/apiStats/api/user-model-stats', { apiKey: tg.keys['alice'], period: 'daily' });
      expect(res.status, res.text()).to.equal(200);
      const body = res.json<{ success: boolean; data: Record<string, unknown>[]; period: string }>();
      expect(Object.keys(body)).to.deep.equal(['success', 'data', 'period']);
      expect(body).to.include({ success: true, period: 'daily' });
      expect(body.data.map((entry) => entry.model)).to.deep.equal(['meter-big', 'meter-small']);
      expect(body.data[0]).to.deep.equal({
        model: 'meter-big',
        requests: 2,
        inputTokens: 2000,
        outputTokens: 200,
        cacheCreateTokens: 0,
        cacheReadTokens: 0,
        allTokens: 2200,
        costs: { input: 0.006, output: 0.003, cacheWrite: 0, cacheRead: 0, total: 0.009, real: 0.009, rated: 0.018 },
        formatted: { input: '$0.0060', output: '$0.0030', cacheWrite: '$0.000000', cacheRead: '$0.000000', total: '$0.009000' },
        pricing: { input: 3, output: 15, cacheWrite: 3.75, cacheRead: 0.3 },
        isLegacy: false,
      });
      expect(body.data[1]).to.deep.include({ cacheCreateTokens: 10, cacheReadTokens: 5, allTokens: 1015 });
      for (const period of ['monthly', 'alltime', 'anything']) {
        const other = (await post('/apiStats/api/user-model-stats', { apiKey: tg.keys['alice'], period })).json<{
          data: { model: string; requests: number }[];
          period: string;
        }>();
        expect(other.period).to.equal(period);
        expect(other.data.map((entry) => [entry.model, entry.requests])).to.deep.equal([
          ['meter-big', 2],
          ['meter-small', 1],
        ]);
      }
      const monthly = await post('/apiStats/api/user-model-stats', { apiKey: tg.keys['bob'] });
      expect(monthly.json()).to.deep.include({ period: 'monthly' });
      expect(monthly.text()).not.to.contain('meter-small');
    });

    it('POST /apiStats/api/user-model-stats refuses as the reference', async () => {
      const refusals: [unknown, number, unknown][] = [
        [{}, 400, { error: 'API Key or ID is required', message: 'Please provide your API Key or API ID' }],
        [{ apiKey: 'short' }, 401, { error: 'Invalid API key', message: 'Invalid API key format' }],
        [{ apiKey: 'sy_nope-nope-nope-nope' }, 401, { error: 'Invalid API key', message: 'API key not found' }],
      ];
      for (const [body, status, answer] of refusals) {
        const res = await post('/apiStats/api/user-model-stats', body);
        expect(res.status, JSON.stringify(body)).to.equal(status);
        expect(res.json()).to.deep.equal(answer);
      }
      const byId = await post('/apiStats/api/user-model-stats', { apiId: tg.keyIds['alice'] });
      expect(byId.status).to.equal(401);
      expect(byId.text()).not.to.contain('meter-big');
    });

    it('the reference stats pages redirect to the key-usage page, keeping the query string', async () => {
      const expectations: [string, string][] = [
        ['/admin-next/api-stats', '/admin/key-usage'],
        ['/admin-next/api-stats?apiId=abc&lang=en', '/admin/key-usage?apiId=abc&lang=en'],
        ['/apiStats', '/admin/key-usage'],
        ['/apiStats/?x=1', '/admin/key-usage?x=1'],
        ['/admin-next', '/admin/'],
      ];
      for (const [from, to] of expectations) {
        const res = await sendRequest(`${tg.url}${from}`);
        expect(res.status, from).to.equal(302);
        expect(res.headers.location, from).to.equal(to);
      }
      const page = await sendRequest(`${tg.url}/admin/key-usage`);
      expect(page.status).to.equal(200);
    });
  });
}
