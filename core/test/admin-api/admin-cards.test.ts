/** The admin's quota card routes: create a batch (codes once), list, inspect, revoke, redemptions. */
import { expect } from 'chai';
import { sendRequest } from '@switchyard/core/testing';
import { startAdminHarness, type AdminHarness } from './admin-harness.js';

describe('admin API: quota cards', function () {
  this.timeout(20_000);
  let h: AdminHarness;
  let token: string;

  before(async () => {
    h = await startAdminHarness();
    token = await h.login();
  });
  after(() => h?.close());

  const call = (method: string, path: string, body?: unknown) =>
    h.call(method, `api/${path}`, { token, ...(body === undefined ? {} : { body }) });

  it('creates a batch whose codes are in that answer only, stored hashed', async () => {
    const res = await call('POST', 'cards/batches', { creditUsd: 2.5, days: 30, count: 3, note: 'launch' });
    expect(res.status, res.text()).to.equal(201);
    const { batch, codes } = res.json<{ batch: Record<string, unknown>; codes: string[] }>();
    expect(codes).to.have.length(3);
    expect(new Set(codes).size).to.equal(3);
    expect(batch).to.deep.include({ count: 3, creditUsd: 2.5, days: 30, note: 'launch', createdBy: 'root' });

    const list = await call('GET', 'cards/batches');
    const summary = list.json<Record<string, unknown>[]>().find((b) => b['id'] === batch['id']);
    expect(summary?.['counts']).to.deep.equal({ unused: 3, redeemed: 0, revoked: 0, expired: 0 });
    const detail = await call('GET', `cards/batches/${String(batch['id'])}`);
    const cards = detail.json<{ cards: Record<string, unknown>[] }>().cards;
    expect(cards.map((card) => card['hint']).sort()).to.deep.equal(codes.map((code) => `SYC-…-${code.slice(-4)}`).sort());
    for (const text of [list.text(), detail.text()]) {
      expect(text).not.to.match(/"hash"/);
      for (const code of codes) expect(text).not.to.contain(code.slice(4, 13));
    }
    const stored = await h.tg.gateway.store.cards.listCards(String(batch['id']));
    for (const code of codes) expect(JSON.stringify(stored)).not.to.contain(code.slice(4, 13));
  });

  it('refuses a batch without terms, with a bad count or a past expiry, listing every problem', async () => {
    const none = await call('POST', 'cards/batches', { count: 1 });
    expect(none.status).to.equal(400);
    expect(none.json<{ error: { problems: string[] } }>().error.problems.join()).to.match(/creditUsd, days or both/);
    expect((await call('POST', 'cards/batches', { creditUsd: 1, count: 0 })).status).to.equal(400);
    expect((await call('POST', 'cards/batches', { creditUsd: 1, count: 1001 })).status).to.equal(400);
    expect((await call('POST', 'cards/batches', { creditUsd: -1, count: 1 })).status).to.equal(400);
    const past = await call('POST', 'cards/batches', { days: 1, count: 1, expiresAt: '2000-01-01T00:00:00Z' });
    expect(past.status).to.equal(400);
    expect(past.json<{ error: { problems: string[] } }>().error.problems).to.deep.equal(['expiresAt: must be in the future']);
  });

  it('revokes a card, a whole batch, but never a redeemed card; redemptions are listed for the admin', async () => {
    const key = (await call('POST', 'keys', { name: 'holder', limits: { costUsd: { total: 1 } } })).json<{
      key: { id: string };
      plaintext: string;
    }>();
    const made = (await call('POST', 'cards/batches', { creditUsd: 1, count: 3 })).json<{
      batch: { id: string };
      codes: string[];
    }>();
    const redeemed = await sendRequest(`${h.tg.url}/api/v1/redeem`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
      body: { code: made.codes[0] },
    });
    expect(redeemed.status, redeemed.text()).to.equal(200);
    const cards = (await call('GET', `cards/batches/${made.batch.id}`)).json<{
      cards: { id: string; status: string; hint: string }[];
    }>().cards;
    const used = cards.find((card) => card.status === 'redeemed')!;
    const unused = cards.filter((card) => card.status === 'unused');
    expect(used.hint).to.equal(`SYC-…-${made.codes[0]!.slice(-4)}`);

    const conflict = await call('POST', `cards/${used.id}/revoke`, {});
    expect(conflict.status).to.equal(409);
    const one = await call('POST', `cards/${unused[0]!.id}/revoke`, {});
    expect(one.json()).to.deep.include({ status: 'revoked', revokedBy: 'root' });
    const all = await call('POST', `cards/batches/${made.batch.id}/revoke`, {});
    expect(all.json<{ revoked: number; batch: { revokedAt?: string } }>()).to.deep.include({ revoked: 1 });
    expect(all.json<{ batch: { revokedAt?: string } }>().batch.revokedAt).to.be.a('string');
    const summary = (await call('GET', 'cards/batches'))
      .json<{ id: string; counts: unknown }[]>()
      .find((b) => b.id === made.batch.id);
    expect(summary?.counts).to.deep.equal({ unused: 0, redeemed: 1, revoked: 2, expired: 0 });
    expect((await call('POST', 'cards/nope/revoke', {})).status).to.equal(404);
    expect((await call('POST', 'cards/batches/nope/revoke', {})).status).to.equal(404);
    expect((await call('GET', 'cards/batches/nope')).status).to.equal(404);

    const redemptions = (await call('GET', `cards/redemptions?batchId=${made.batch.id}`)).json<Record<string, unknown>[]>();
    expect(redemptions).to.have.length(1);
    expect(redemptions[0]).to.deep.include({
      keyId: key.key.id,
      keyName: 'holder',
      ip: '127.0.0.1',
      before: { totalCostUsd: 1 },
      after: { totalCostUsd: 2 },
    });
    expect((await call('GET', 'cards/redemptions?limit=0')).status).to.equal(400);
  });
});
