/**
 * The decisions of a card redemption and revocation, shared by both backends so they
 * behave alike: each backend reads the card (and key), asks these, and writes what they
 * say inside its own atomic step (a SQLite transaction, a compare-and-set Lua script).
 */
import type { KeyRecord } from './types.js';
import type { CardRecord, CardRedeemDecision, CardRedeemResult, CardRedemptionRecord, CardRevokeResult } from './card-types.js';
import { mergePatch } from './records.js';

/** What to write for a redemption, or the answer when nothing is to be written. */
export type RedeemStep =
  { done: CardRedeemResult } | { write: { card: CardRecord; key: KeyRecord; redemption: CardRedemptionRecord } };

/** Plans a redemption of `card` onto `key` (both as currently stored). */
export function planRedeem(card: CardRecord | undefined, key: KeyRecord | undefined, decide: CardRedeemDecision): RedeemStep {
  if (card === undefined) return { done: { outcome: 'missing-card' } };
  if (card.redeemedAt !== undefined) return { done: { outcome: 'already-redeemed', card } };
  if (card.revokedAt !== undefined) return { done: { outcome: 'revoked', card } };
  if (key === undefined) return { done: { outcome: 'missing-key' } };
  const decision = decide(card, key);
  if ('refused' in decision) return { done: { outcome: 'refused', reason: decision.refused } };
  const { redemption } = decision;
  // The key keeps its identity and secret whatever the patch says.
  const { id: _id, hash: _hash, hint: _hint, ...patch } = decision.keyPatch as Partial<KeyRecord>;
  const nextKey = mergePatch(key, patch, 'id');
  const nextCard: CardRecord = { ...card, redeemedAt: redemption.at, redeemedByKey: key.id, redemptionId: redemption.id };
  return { write: { card: nextCard, key: nextKey, redemption } };
}

/** Plans revoking `card`: the revoked card to write, or the answer. */
export function planRevoke(
  card: CardRecord | undefined,
  at: string,
  by: string,
): { done: CardRevokeResult } | { write: CardRecord } {
  if (card === undefined) return { done: { outcome: 'missing' } };
  if (card.redeemedAt !== undefined) return { done: { outcome: 'redeemed', card } };
  if (card.revokedAt !== undefined) return { done: { outcome: 'revoked', card } };
  return { write: { ...card, revokedAt: at, revokedBy: by } };
}

/** Order of redemptions: newest `at` first, then id descending. */
export function byNewest(a: CardRedemptionRecord, b: CardRedemptionRecord): number {
  if (a.at !== b.at) return a.at < b.at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Default `limit` of a redemption query. */
export const DEFAULT_REDEMPTION_LIMIT = 100;
