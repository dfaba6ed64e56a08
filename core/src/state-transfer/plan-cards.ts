/**
 * Import steps for quota cards: a batch the target lacks is created with its cards (those
 * redeemed as unused, then redeemed again through the store's atomic step with the
 * file's own audit record, which sets the card exactly as it was); a batch the target has
 * gets the revocations and redemptions it is missing. Keys are imported before cards.
 */
import type { CardBatchRecord, CardRecord, CardRedemptionRecord } from '../store/card-types.js';
import type { Store } from '../store/types.js';
import type { ImportStep } from './import-plan.js';
import type { PlanContext } from './plan-records.js';

/** The card before its redemption (the redemption writes the rest). */
function unredeemed(card: CardRecord): CardRecord {
  const { redeemedAt: _at, redeemedByKey: _key, redemptionId: _id, ...rest } = card;
  return rest;
}

async function redeemAgain(store: Store, redemption: CardRedemptionRecord): Promise<void> {
  const result = await store.cards.redeem(redemption.cardId, redemption.keyId, () => ({ keyPatch: {}, redemption }));
  if (result.outcome !== 'redeemed')
    throw new Error(`card ${redemption.cardId}: redemption ${redemption.id} not replayed (${result.outcome})`);
}

export async function planCards({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  const redemptions = new Map<string, CardRedemptionRecord>();
  for (const raw of data.cards.redemptions) {
    const redemption = raw as unknown as CardRedemptionRecord;
    redemptions.set(redemption.cardId, redemption);
  }
  const fileKeys = new Set(data.keys.map((key) => key['id'] as string));
  const keyKnown = async (id: string) => fileKeys.has(id) || (await store.keys.get(id)) !== undefined;

  for (const entry of data.cards.batches) {
    const batch = entry.batch as unknown as CardBatchRecord;
    const cards = entry.cards as unknown as CardRecord[];
    const existing = await store.cards.getBatch(batch.id);
    if (!existing) {
      const toReplay: CardRedemptionRecord[] = [];
      const stored: CardRecord[] = [];
      for (const card of cards) {
        const redemption = card.redeemedAt !== undefined ? redemptions.get(card.id) : undefined;
        // A redemption whose key is gone cannot be replayed: the card keeps its redeemed fields, the audit record is lost.
        if (redemption && (await keyKnown(redemption.keyId))) {
          stored.push(unredeemed(card));
          toReplay.push(redemption);
        } else stored.push(card);
      }
      toReplay.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
      steps.push({
        kind: 'card batch',
        id: batch.id,
        outcome: 'create',
        reason: `${cards.length} cards, ${toReplay.length} redeemed`,
        apply: async () => {
          await store.cards.createBatch(batch, stored);
          for (const redemption of toReplay) await redeemAgain(store, redemption);
        },
      });
      continue;
    }
    const writes: (() => Promise<void>)[] = [];
    const notes: string[] = [];
    if (batch.revokedAt !== undefined && existing.revokedAt === undefined) {
      writes.push(async () => void (await store.cards.markBatchRevoked(batch.id, batch.revokedAt!)));
    }
    for (const card of cards) {
      const here = await store.cards.get(card.id);
      if (!here) {
        notes.push(`card ${card.id} is not in the batch here`);
        continue;
      }
      const redemption = redemptions.get(card.id);
      if (card.redeemedAt !== undefined && here.redeemedAt === undefined && here.revokedAt === undefined && redemption) {
        writes.push(() => redeemAgain(store, redemption));
      } else if (card.revokedAt !== undefined && here.revokedAt === undefined && here.redeemedAt === undefined) {
        writes.push(async () => void (await store.cards.revoke(card.id, card.revokedAt!, card.revokedBy ?? 'import')));
      }
    }
    if (writes.length === 0) {
      steps.push({
        kind: 'card batch',
        id: batch.id,
        outcome: notes.length ? 'skip' : 'unchanged',
        ...(notes.length ? { reason: notes.join('; ') } : {}),
      });
      continue;
    }
    steps.push({
      kind: 'card batch',
      id: batch.id,
      outcome: 'change',
      reason: [`${writes.length} card changes`, ...notes].join('; '),
      apply: async () => {
        for (const write of writes) await write();
      },
    });
  }
  return steps;
}
