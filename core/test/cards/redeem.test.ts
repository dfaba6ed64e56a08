/**
 * A key holder redeems quota cards with `POST /api/v1/redeem`: the cap and expiry rise
 * at once (also on the holder's own key-info), every refusal comes in the shape of the
 * protocol mounted at `/api` with the right status, attempts are throttled per key and
 * per IP, and the admin sees each redemption. Against both stores.
 */
import { expect } from 'chai';
import { ManualClock, sendRequest, type SentResponse } from '@switchyard/core/testing';
import { startAdminHarness, type AdminHarness } from '../admin-api/admin-harness.js';
import { apiShapePlugin, type ShapeError } from './fixtures/api-shape-plugin.js';

const DAY = 86_400_000;
const START = Date.parse('2026-05-01T00:00:00.000Z');

for (const store of ['embedded', 'redis'] as const) {
  describe(`quota card redemption (${store})`, function () {
    this.timeout(30_000);
    let h: AdminHarness;
    let token: string;
    const clock = new ManualClock(START);

    before(async () => {
      h = await startAdminHarness(
        { server: { trustProxy: true }, cards: { maxFailuresPerKey: 3, maxFailuresPerIp: 5 } },
        [apiShapePlugin],
        store,
        { clock },
      );
      token = await h.login();
    });
    after(() => h?.close());

    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await h.call(method, `api/${path}`, { token, ...(body === undefined ? {} : { body }) });
      expect(res.status, res.text()).to.be.oneOf([200, 201]);
      return res.json<Record<string, unknown>>();
    };
    const newKey = async (body: Record<string, unknown>) => {
      const created = (await admin('POST', 'keys', { name: `k-${Math.random()}`, ...body })) as {
        key: { id: string };
        plaintext: string;
      };
      return { id: created.key.id, plaintext: created.plaintext };
    };
    const batch = async (body: Record<string, unknown>) =>
      (await admin('POST', 'cards/batches', { count: 1, ...body })) as { batch: { id: string }; codes: string[] };
    const redeem = (key: string | undefined, code: unknown, ip = '10.1.0.1'): Promise<SentResponse> =>
      sendRequest(`${h.tg.url}/api/v1/redeem`, {
        headers: { ...(key === undefined ? {} : { 'x-api-key': key }), 'x-forwarded-for': ip },
        body: code === undefined ? {} : { code },
      });
    const refusal = (res: SentResponse) => ({
      status: res.status,
      reason: res.headers['x-switchyard-card-status'],
      body: res.json<ShapeError>(),
    });

    it('raises the cap and extends the expiry once; the holder sees it at once and the admin sees the redemption', async () => {
      const key = await newKey({ limits: { costUsd: { total: 10 } }, expiresAt: new Date(START + 10 * DAY).toISOString() });
      // Read once, so a stale copy would sit in the key cache.
      expect(
        (await sendRequest(`${h.tg.url}/self-service/v1/key-info`, { headers: { 'x-api-key': key.plaintext } })).status,
      ).to.equal(200);
      const { batch: made, codes } = await batch({ creditUsd: 5, days: 7, note: 'spring' });
      const code = codes[0]!.toLowerCase().replaceAll('-', ' ');

      const res = await redeem(key.plaintext, code);
      expect(res.status, res.text()).to.equal(200);
      expect(res.json()).to.deep.include({
        before: { totalCostUsd: 10, expiresAt: new Date(START + 10 * DAY).toISOString() },
        after: { totalCostUsd: 15, expiresAt: new Date(START + 17 * DAY).toISOString() },
      });
      const info = await sendRequest(`${h.tg.url}/self-service/v1/key-info`, { headers: { 'x-api-key': key.plaintext } });
      const shown = info.json<{ key: { expiresAt: string }; budgets: { path: string; limit: number }[] }>();
      expect(shown.key.expiresAt).to.equal(new Date(START + 17 * DAY).toISOString());
      expect(shown.budgets.find((b) => b.path === 'costUsd.total')?.limit).to.equal(15_000_000);

      const again = refusal(await redeem(key.plaintext, codes[0]));
      expect(again).to.deep.include({ status: 400, reason: 'redeemed' });
      expect(again.body).to.deep.equal({
        type: 'error',
        error: { type: 'invalid_request', message: 'This card has already been redeemed.' },
      });
      const stored = (await admin('GET', `keys/${key.id}`)) as { limits: unknown };
      expect(stored.limits).to.deep.equal({ costUsd: { total: 15 } });

      const audit = (await admin('GET', `cards/redemptions?keyId=${key.id}`)) as unknown as Record<string, unknown>[];
      expect(audit).to.have.length(1);
      expect(audit[0]).to.deep.include({ keyId: key.id, batchId: made.id, ip: '10.1.0.1', creditUsd: 5, days: 7 });
      expect(audit[0]!['at']).to.equal(new Date(START).toISOString());
      const detail = (await admin('GET', `cards/batches/${made.id}`)) as { cards: Record<string, unknown>[] };
      expect(detail.cards[0]).to.deep.include({ status: 'redeemed', redeemedByKey: key.id });
      expect(JSON.stringify(detail)).not.to.contain(codes[0]!.slice(4, 8) + '-' + codes[0]!.slice(9, 13));
      expect(JSON.stringify(detail)).not.to.match(/"hash"/);
    });

    it('answers unknown, revoked, expired and inapplicable cards in the client shape, using none of them', async () => {
      // A fresh key for each refusal: every failure counts against its key (3 allowed here).
      const capped = () => newKey({ limits: { costUsd: { total: 1 } } });
      const unknown = refusal(await redeem((await capped()).plaintext, 'SYC-2222-3333-4444-5555', '10.2.0.1'));
      expect(unknown).to.deep.include({ status: 404, reason: 'unknown' });
      expect(unknown.body.error.type).to.equal('not_found');
      const malformed = refusal(await redeem((await capped()).plaintext, 'not a code at all', '10.2.0.2'));
      expect(malformed).to.deep.include({ status: 404, reason: 'unknown' });

      const revokable = await batch({ creditUsd: 1 });
      const [card] = ((await admin('GET', `cards/batches/${revokable.batch.id}`)) as { cards: { id: string }[] }).cards;
      expect((await admin('POST', `cards/${card!.id}/revoke`, {}))['status']).to.equal('revoked');
      const revoked = refusal(await redeem((await capped()).plaintext, revokable.codes[0], '10.2.0.3'));
      expect(revoked).to.deep.include({ status: 400, reason: 'revoked' });
      expect(revoked.body.error.message).to.equal('This card has been revoked.');

      const expiring = await batch({ creditUsd: 1, expiresAt: new Date(clock.now() + DAY).toISOString() });
      const late = await capped();
      await clock.advance(DAY);
      token = await h.login();
      expect(refusal(await redeem(late.plaintext, expiring.codes[0], '10.2.0.4'))).to.deep.include({
        status: 400,
        reason: 'expired',
      });

      const credit = await batch({ creditUsd: 3 });
      const unlimited = await newKey({});
      const inapplicable = refusal(await redeem(unlimited.plaintext, credit.codes[0], '10.2.0.5'));
      expect(inapplicable).to.deep.include({ status: 400, reason: 'not-applicable' });
      expect(inapplicable.body.error.message).to.match(/no total cost cap/);
      // Still usable by a key it applies to.
      const key = await capped();
      expect((await redeem(key.plaintext, credit.codes[0], '10.2.0.6')).status).to.equal(200);
      expect(((await admin('GET', `keys/${key.id}`)) as { limits: unknown }).limits).to.deep.equal({ costUsd: { total: 4 } });
    });

    it('refuses a missing, unknown or disabled key and a body without a code', async () => {
      const { codes } = await batch({ creditUsd: 1 });
      const key = await newKey({ limits: { costUsd: { total: 1 } }, enabled: false });
      expect(refusal(await redeem(undefined, codes[0], '10.3.0.1')).body.error.type).to.equal('missing_api_key');
      expect(refusal(await redeem('sy_not-a-key-0000000000000', codes[0], '10.3.0.1')).status).to.equal(401);
      expect(refusal(await redeem(key.plaintext, codes[0], '10.3.0.1')).body.error.type).to.equal('key_disabled');
      const enabled = await newKey({ limits: { costUsd: { total: 1 } } });
      expect(refusal(await redeem(enabled.plaintext, undefined, '10.3.0.1'))).to.deep.include({ status: 400 });
      expect((await redeem(enabled.plaintext, codes[0], '10.3.0.1')).status).to.equal(200);
    });

    it('throttles failures per key and per IP with 429 and Retry-After; a success forgives the key', async () => {
      const guess = (key: string, ip: string) => redeem(key, 'SYC-2222-3333-4444-5555', ip);
      const a = await newKey({ limits: { costUsd: { total: 1 } } });
      for (let i = 0; i < 3; i++) expect((await guess(a.plaintext, `10.4.0.${i}`)).status).to.equal(404);
      const throttled = await guess(a.plaintext, '10.4.0.9');
      expect(refusal(throttled)).to.deep.include({ status: 429, reason: 'throttled' });
      expect(refusal(throttled).body.error.type).to.equal('rate_limited');
      expect(throttled.headers['retry-after']).to.equal('3600');
      // Even a good code waits: the key is locked out for the window.
      const { codes } = await batch({ creditUsd: 1, count: 2 });
      expect((await redeem(a.plaintext, codes[0], '10.4.0.10')).status).to.equal(429);

      const b = await newKey({ limits: { costUsd: { total: 1 } } });
      for (let i = 0; i < 2; i++) expect((await guess(b.plaintext, '10.4.1.1')).status).to.equal(404);
      expect((await redeem(b.plaintext, codes[0], '10.4.1.1')).status).to.equal(200);
      for (let i = 0; i < 3; i++) expect((await guess(b.plaintext, '10.4.1.2')).status).to.equal(404);
      expect((await guess(b.plaintext, '10.4.1.2')).status).to.equal(429);

      // Per IP: five failures from one address, whatever the keys.
      const keys = [await newKey({}), await newKey({}), await newKey({})];
      for (const [i, key] of [keys[0]!, keys[0]!, keys[1]!, keys[1]!, keys[2]!].entries()) {
        expect((await guess(key.plaintext, '10.4.2.1')).status, `attempt ${i}`).to.equal(404);
      }
      expect((await guess(keys[2]!.plaintext, '10.4.2.1')).status).to.equal(429);
      expect((await guess(keys[2]!.plaintext, '10.4.2.2')).status).to.equal(404);
    });

    it('logs every redemption and refusal without the code', async () => {
      const key = await newKey({ limits: { costUsd: { total: 1 } } });
      const { codes } = await batch({ creditUsd: 2 });
      expect((await redeem(key.plaintext, codes[0], '10.5.0.1')).status).to.equal(200);
      const lines = h.tg.logs.filter((line) => String(line['msg'] ?? line['message']).startsWith('quota card'));
      expect(lines.some((line) => line['keyId'] === key.id && line['ip'] === '10.5.0.1')).to.equal(true);
      expect(JSON.stringify(h.tg.logs)).not.to.contain(codes[0]!.slice(-9));
      expect(JSON.stringify(h.tg.logs)).not.to.contain('SYC-2222-3333-4444-5555');
    });
  });
}
