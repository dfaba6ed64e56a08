/** Conformance tests of the quota card repository: batches, cards, atomic redemption, revocation, audit. */
import { expect } from 'chai';
import type { CardBatchRecord, CardRecord, CardRedeemDecision, CardRedemptionRecord } from '../../../src/store/card-types.js';
import { keyRecord, rejectsWith, type StoreAccess } from './fixtures.js';

function batch(id: string, overrides: Partial<CardBatchRecord> = {}): CardBatchRecord {
  return { id, count: 2, creditUsd: 5, createdBy: 'root', createdAt: '2025-01-01T00:00:00.000Z', ...overrides };
}

function card(id: string, batchId = 'b1', overrides: Partial<CardRecord> = {}): CardRecord {
  return {
    id,
    batchId,
    hash: `hash-${id}`,
    hint: `SYC-…-${id}`,
    creditUsd: 5,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function redemption(id: string, cardId: string, keyId: string, at: string, batchId = 'b1'): CardRedemptionRecord {
  return {
    id,
    cardId,
    batchId,
    cardHint: `SYC-…-${cardId}`,
    keyId,
    keyName: `key ${keyId}`,
    keyHint: `sy_${keyId}…`,
    at,
    ip: '127.0.0.1',
    creditUsd: 5,
    before: { totalCostUsd: 10 },
    after: { totalCostUsd: 15 },
  };
}

/** Raises the key's total cap by the card's credit; audit id `r-<card>`. */
const raise =
  (at = '2025-02-01T00:00:00.000Z'): CardRedeemDecision =>
  (c, k) => {
    const limits = k.limits as { costUsd?: { total?: number } };
    const total = (limits.costUsd?.total ?? 0) + (c.creditUsd ?? 0);
    return {
      keyPatch: { limits: { ...k.limits, costUsd: { total } }, updatedAt: at },
      redemption: redemption(`r-${c.id}`, c.id, k.id, at, c.batchId),
    };
  };

export function describeCardTests(store: StoreAccess): void {
  describe('cards', () => {
    it('stores a batch with its cards and finds them by id, hash and batch', async () => {
      await store().cards.createBatch(batch('b1', { note: 'promo' }), [card('c2'), card('c1')]);
      expect(await store().cards.getBatch('b1')).to.deep.equal(batch('b1', { note: 'promo' }));
      expect(await store().cards.get('c1')).to.deep.equal(card('c1'));
      expect(await store().cards.findByHash('hash-c2')).to.deep.equal(card('c2'));
      expect(await store().cards.findByHash('nope')).to.equal(undefined);
      expect(await store().cards.get('nope')).to.equal(undefined);
      expect((await store().cards.listCards('b1')).map((c) => c.id)).to.deep.equal(['c1', 'c2']);
      expect(await store().cards.listCards('other')).to.deep.equal([]);
    });

    it('lists batches oldest first', async () => {
      await store().cards.createBatch(batch('b2', { createdAt: '2025-01-02T00:00:00.000Z' }), [card('x', 'b2')]);
      await store().cards.createBatch(batch('b1'), [card('y')]);
      expect((await store().cards.listBatches()).map((b) => b.id)).to.deep.equal(['b1', 'b2']);
    });

    it('refuses a batch whose id, card id or card hash exists (also within the batch), storing nothing of it', async () => {
      await store().cards.createBatch(batch('b1'), [card('c1')]);
      await rejectsWith(store().cards.createBatch(batch('b1'), [card('c9')]), 'StoreConflictError');
      await rejectsWith(store().cards.createBatch(batch('b2'), [card('c2', 'b2'), card('c1', 'b2')]), 'StoreConflictError');
      await rejectsWith(
        store().cards.createBatch(batch('b3'), [card('c3', 'b3'), card('c4', 'b3', { hash: 'hash-c1' })]),
        'StoreConflictError',
      );
      await rejectsWith(
        store().cards.createBatch(batch('b4'), [card('c5', 'b4'), card('c6', 'b4', { hash: 'hash-c5' })]),
        'StoreConflictError',
      );
      expect((await store().cards.listBatches()).map((b) => b.id)).to.deep.equal(['b1']);
      for (const id of ['c2', 'c3', 'c4', 'c5', 'c6', 'c9']) expect(await store().cards.get(id)).to.equal(undefined);
      expect((await store().cards.findByHash('hash-c1'))?.id).to.equal('c1');
    });

    it('redeems a card once: the key is changed, the card marked and the redemption recorded together', async () => {
      await store().keys.create(keyRecord('k1', { limits: { costUsd: { total: 10 } } }));
      await store().cards.createBatch(batch('b1'), [card('c1')]);
      const result = await store().cards.redeem('c1', 'k1', raise());
      expect(result.outcome).to.equal('redeemed');
      const key = await store().keys.get('k1');
      expect(key?.limits).to.deep.equal({ costUsd: { total: 15 } });
      expect(key?.hash).to.equal('hash-k1');
      expect(await store().keys.findByHash('hash-k1')).to.deep.equal(key);
      expect(await store().cards.get('c1')).to.deep.equal(
        card('c1', 'b1', { redeemedAt: '2025-02-01T00:00:00.000Z', redeemedByKey: 'k1', redemptionId: 'r-c1' }),
      );
      expect(await store().cards.listRedemptions()).to.deep.equal([redemption('r-c1', 'c1', 'k1', '2025-02-01T00:00:00.000Z')]);

      const again = await store().cards.redeem('c1', 'k1', raise());
      expect(again.outcome).to.equal('already-redeemed');
      expect((await store().keys.get('k1'))?.limits).to.deep.equal({ costUsd: { total: 15 } });
      expect(await store().cards.listRedemptions()).to.have.length(1);
    });

    it('redeems exactly once when many redemptions of one card race', async () => {
      await store().keys.create(keyRecord('k1', { limits: { costUsd: { total: 10 } } }));
      await store().keys.create(keyRecord('k2', { limits: { costUsd: { total: 10 } } }));
      await store().cards.createBatch(batch('b1'), [card('c1')]);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store().cards.redeem('c1', i % 2 ? 'k1' : 'k2', raise())),
      );
      expect(results.filter((r) => r.outcome === 'redeemed')).to.have.length(1);
      expect(results.filter((r) => r.outcome === 'already-redeemed')).to.have.length(11);
      const totals = [await store().keys.get('k1'), await store().keys.get('k2')].map(
        (k) => (k!.limits as { costUsd: { total: number } }).costUsd.total,
      );
      expect(totals.sort()).to.deep.equal([10, 15]);
    });

    it('writes nothing when the decision refuses, the card or key is missing, or the card is revoked', async () => {
      await store().keys.create(keyRecord('k1'));
      await store().cards.createBatch(batch('b1'), [card('c1'), card('c2')]);
      expect(await store().cards.redeem('c1', 'k1', () => ({ refused: 'no cap' }))).to.deep.equal({
        outcome: 'refused',
        reason: 'no cap',
      });
      expect(await store().cards.redeem('nope', 'k1', raise())).to.deep.equal({ outcome: 'missing-card' });
      expect(await store().cards.redeem('c1', 'nope', raise())).to.deep.equal({ outcome: 'missing-key' });
      expect(await store().cards.get('c1')).to.deep.equal(card('c1'));
      expect(await store().keys.get('k1')).to.deep.equal(keyRecord('k1'));

      const revoked = await store().cards.revoke('c2', '2025-01-05T00:00:00.000Z', 'root');
      expect(revoked).to.deep.equal({
        outcome: 'revoked',
        card: card('c2', 'b1', { revokedAt: '2025-01-05T00:00:00.000Z', revokedBy: 'root' }),
      });
      expect((await store().cards.redeem('c2', 'k1', raise())).outcome).to.equal('revoked');
      expect(await store().keys.get('k1')).to.deep.equal(keyRecord('k1'));
      expect(await store().cards.listRedemptions()).to.deep.equal([]);
    });

    it('keeps the key identity whatever the decision patches', async () => {
      await store().keys.create(keyRecord('k1'));
      await store().cards.createBatch(batch('b1'), [card('c1')]);
      await store().cards.redeem('c1', 'k1', (c, k) => ({
        keyPatch: { hash: 'stolen', hint: 'x', name: 'renamed' } as never,
        redemption: redemption('r1', c.id, k.id, '2025-02-01T00:00:00.000Z'),
      }));
      expect(await store().keys.get('k1')).to.deep.equal({ ...keyRecord('k1'), name: 'renamed' });
      expect((await store().keys.findByHash('hash-k1'))?.id).to.equal('k1');
      expect(await store().keys.findByHash('stolen')).to.equal(undefined);
    });

    it('revokes only unused cards, idempotently', async () => {
      await store().keys.create(keyRecord('k1'));
      await store().cards.createBatch(batch('b1'), [card('c1'), card('c2')]);
      await store().cards.redeem('c1', 'k1', raise());
      expect((await store().cards.revoke('c1', '2025-03-01T00:00:00.000Z', 'root')).outcome).to.equal('redeemed');
      expect((await store().cards.get('c1'))?.revokedAt).to.equal(undefined);
      expect((await store().cards.revoke('c2', '2025-03-01T00:00:00.000Z', 'root')).outcome).to.equal('revoked');
      const second = await store().cards.revoke('c2', '2025-03-02T00:00:00.000Z', 'other');
      expect(second).to.deep.include({ outcome: 'revoked' });
      expect((await store().cards.get('c2'))?.revokedAt).to.equal('2025-03-01T00:00:00.000Z');
      expect(await store().cards.revoke('nope', '2025-03-01T00:00:00.000Z', 'root')).to.deep.equal({ outcome: 'missing' });
    });

    it('marks a batch revoked once', async () => {
      await store().cards.createBatch(batch('b1'), [card('c1')]);
      expect(await store().cards.markBatchRevoked('b1', '2025-03-01T00:00:00.000Z')).to.deep.equal(
        batch('b1', { revokedAt: '2025-03-01T00:00:00.000Z' }),
      );
      expect((await store().cards.markBatchRevoked('b1', '2025-03-09T00:00:00.000Z'))?.revokedAt).to.equal(
        '2025-03-01T00:00:00.000Z',
      );
      expect(await store().cards.markBatchRevoked('nope', '2025-03-01T00:00:00.000Z')).to.equal(undefined);
    });

    it('lists redemptions newest first, by key, by batch, with a limit', async () => {
      await store().keys.create(keyRecord('k1'));
      await store().keys.create(keyRecord('k2'));
      await store().cards.createBatch(batch('b1'), [card('c1'), card('c2')]);
      await store().cards.createBatch(batch('b2'), [card('c3', 'b2')]);
      await store().cards.redeem('c1', 'k1', raise('2025-02-01T00:00:00.000Z'));
      await store().cards.redeem('c3', 'k1', raise('2025-02-03T00:00:00.000Z'));
      await store().cards.redeem('c2', 'k2', raise('2025-02-02T00:00:00.000Z'));
      const ids = (list: CardRedemptionRecord[]) => list.map((r) => r.id);
      expect(ids(await store().cards.listRedemptions())).to.deep.equal(['r-c3', 'r-c2', 'r-c1']);
      expect(ids(await store().cards.listRedemptions({ limit: 2 }))).to.deep.equal(['r-c3', 'r-c2']);
      expect(ids(await store().cards.listRedemptions({ keyId: 'k1' }))).to.deep.equal(['r-c3', 'r-c1']);
      expect(ids(await store().cards.listRedemptions({ batchId: 'b1' }))).to.deep.equal(['r-c2', 'r-c1']);
      expect(ids(await store().cards.listRedemptions({ keyId: 'k1', batchId: 'b1' }))).to.deep.equal(['r-c1']);
      expect(await store().cards.listRedemptions({ keyId: 'none' })).to.deep.equal([]);
      expect(await store().cards.listRedemptions({ limit: 0 })).to.deep.equal([]);
    });
  });
}
