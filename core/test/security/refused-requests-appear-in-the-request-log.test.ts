/**
 * Issue 15, part 6: every request the gateway refuses itself (401, 402, 403, 404, 429,
 * 503) is in the request log with its status, its reason (the error code) and the key
 * when one was recognised, priced at zero, and counts in the dashboard's error figures.
 * A presented key that was refused is never recorded, not even in part. A request whose
 * answer was already recorded is not recorded twice. A flood of refusals is recorded only
 * up to `usage.requestLog.refusalsPerMinute` per key (and as many without a key), so it
 * cannot grow the store without bound.
 */
import { expect } from 'chai';
import { sendRequest, waitFor } from '@switchyard/core/testing';
import { startAdminHarness, UPSTREAM_KEY, type AdminHarness } from '../admin-api/admin-harness.js';

interface LoggedRequest {
  id: string;
  keyId: string;
  keyName?: string;
  status: number;
  reason?: string;
  costMicros: number;
  usage: { inputTokens: number; outputTokens: number };
}

const BOGUS_KEY = 'sy_this-key-was-never-issued-0123456789abcdef';

for (const store of ['embedded', 'redis'] as const) {
  describe(`security: refused requests appear in the request log (${store} store)`, function () {
    this.timeout(20_000);
    let h: AdminHarness;
    let token: string;

    beforeEach(async () => {
      h = await startAdminHarness({ usage: { requestLog: { refusalsPerMinute: 3 } } }, [], store);
      token = await h.login();
      const account = await h.call('POST', 'api/accounts', {
        token,
        body: { type: 'echo-key', name: 'Echo', credentials: { apiKey: UPSTREAM_KEY, baseUrl: h.upstream.url } },
      });
      expect(account.status).to.equal(201);
    });
    afterEach(async () => h.close());

    const echo = (headers: Record<string, string>) =>
      sendRequest(`${h.tg.url}/echo/v1/echo`, { headers, body: { model: 'echo-1', input: 'one two' } });

    async function requestLog(expected: number): Promise<LoggedRequest[]> {
      return waitFor(
        async () => {
          const res = await h.call('GET', 'api/requests?limit=100', { token });
          const items = res.json<{ items: LoggedRequest[] }>().items;
          return items.length >= expected ? items : undefined;
        },
        { what: `${expected} entries in the request log` },
      );
    }

    it('logs a 401 without a key and a 402 with its key, each with its reason, at zero cost', async () => {
      const spent = await h.call('POST', 'api/keys', { token, body: { name: 'spent', limits: { costUsd: { total: 0 } } } });
      const { key, plaintext } = spent.json<{ key: { id: string }; plaintext: string }>();

      expect((await echo({ authorization: `Bearer ${BOGUS_KEY}` })).status).to.equal(401);
      expect((await echo({})).status).to.equal(401);
      expect((await echo({ authorization: `Bearer ${plaintext}` })).status).to.equal(402);

      const items = await requestLog(3);
      const unauthorized = items.filter((item) => item.status === 401);
      expect(unauthorized.map((item) => item.reason).sort()).to.deep.equal(['invalid_api_key', 'missing_api_key']);
      for (const item of unauthorized) {
        expect(item.keyId).to.equal('');
        expect(item.costMicros).to.equal(0);
      }
      const payment = items.find((item) => item.status === 402)!;
      expect(payment).to.deep.include({ keyId: key.id, keyName: 'spent', reason: 'cost_limit_reached', costMicros: 0 });
      expect(payment.usage).to.deep.include({ inputTokens: 0, outputTokens: 0 });

      // The refused key is nowhere: not in the log, not in the records.
      const stored = JSON.stringify(await h.tg.gateway.store.usage.list({ limit: 100 }));
      expect(stored).to.not.contain(BOGUS_KEY.slice(3, 15));
      expect(JSON.stringify(h.tg.logs)).to.not.contain(BOGUS_KEY.slice(3, 15));

      // The dashboard counts them as requests with errors.
      await waitFor(
        async () => {
          const today = (await h.call('GET', 'api/dashboard', { token })).json<{ today: { requests: number; errors: number } }>()
            .today;
          return today.errors >= 3 && today.requests >= 3 ? today : undefined;
        },
        { what: 'the dashboard to count the refusals as errors' },
      );
    });

    it('logs 403 and 503 refusals with their reasons, and a served request once', async () => {
      const narrow = await h.call('POST', 'api/keys', {
        token,
        body: { name: 'narrow', limits: { models: { allow: ['other-*'] } } },
      });
      const narrowKey = narrow.json<{ plaintext: string }>().plaintext;
      expect((await echo({ authorization: `Bearer ${narrowKey}` })).status).to.equal(403);
      expect(
        (
          await sendRequest(`${h.tg.url}/echo/v1/echo`, {
            headers: { authorization: `Bearer ${h.tg.key}` },
            body: { model: 'echo-1', input: 'x' },
          })
        ).status,
      ).to.equal(200);
      const [accountId] = (await h.call('GET', 'api/accounts', { token })).json<{ id: string }[]>().map((a) => a.id);
      expect((await h.call('POST', `api/accounts/${accountId}/pause`, { token, body: {} })).status).to.be.oneOf([200, 204]);
      const unavailable = await echo({ authorization: `Bearer ${h.tg.key}` });
      expect(unavailable.status).to.equal(503);

      const items = await requestLog(3);
      expect(items.map((item) => [item.status, item.reason ?? null])).to.have.deep.members([
        [403, 'model_not_allowed'],
        [200, null],
        [503, 'no_account_available'],
      ]);
      expect(new Set(items.map((item) => item.id)).size).to.equal(items.length);
    });

    it('records at most refusalsPerMinute refusals per key a minute, and as many without a key', async () => {
      const minuteAtStart = Math.floor(Date.now() / 60_000);
      for (let i = 0; i < 8; i += 1) expect((await echo({ authorization: `Bearer ${BOGUS_KEY}${i}` })).status).to.equal(401);
      const spent = await h.call('POST', 'api/keys', { token, body: { name: 'spent', limits: { costUsd: { total: 0 } } } });
      const { plaintext } = spent.json<{ plaintext: string }>();
      for (let i = 0; i < 8; i += 1) expect((await echo({ authorization: `Bearer ${plaintext}` })).status).to.equal(402);

      const minutesSpanned = Math.floor(Date.now() / 60_000) - minuteAtStart + 1;
      await requestLog(6);
      await h.tg.gateway.flushUsage();
      const all = await h.tg.gateway.store.usage.list({ limit: 100 });
      // The allowance is per wall-clock minute: a run across a minute's end may take two.
      const allowed = 3 * minutesSpanned;
      for (const status of [401, 402]) {
        const recorded = all.filter((record) => record.status === status).length;
        if (minutesSpanned === 1) expect(recorded, `records of ${status}`).to.equal(3);
        else expect(recorded, `records of ${status}`).to.be.within(3, Math.min(8, allowed));
      }
      expect(all.every((record) => record.status === 401 || record.status === 402)).to.equal(true);
    });
  });
}
