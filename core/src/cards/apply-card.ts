/**
 * What a card does to a key (docs/cards.md, "What a card changes"):
 *
 * - dollar credit raises the key's total cost cap (`limits.costUsd.total`). A key without
 *   a total cap has no limit to raise: the card is refused (and stays unused) rather than
 *   turning an unlimited key into a capped one;
 * - days extend every expiry the key has: its `expiresAt` and `limits.expiresAt` move to
 *   `max(expiry, now) + days` (so a lapsed key comes back for that many days from now),
 *   and an activation-based `limits.expiresAfterFirstUse` grows by the days. A key that
 *   never expires has nothing to extend: the card is refused and stays unused;
 * - a card with both applies both, or neither;
 * - keys declared in the config file are refused (the next start would reset their limits);
 * - the operator's ceilings (`cards.maxTotalCostUsd`, `cards.maxExpiryDays`) refuse a card
 *   that would take a key past them.
 */
import type { KeyRecord } from '../store/types.js';
import type { CardTerms, KeyTermsSnapshot } from '../store/card-types.js';
import { parseDuration } from '../limits/duration.js';

const DAY_MS = 86_400_000;

/** The operator's ceilings on what cards may do. */
export interface CardCeilings {
  /** Highest total cost cap a card may raise a key to, in USD. */
  maxTotalCostUsd?: number;
  /** Furthest a card may move a key's expiry, in days from now. */
  maxExpiryDays?: number;
}

/** Why a card cannot be applied to a key (the card stays unused). */
export type NotApplicable = { refused: string };

/** The change a card makes to a key. */
export interface CardApplication {
  keyPatch: { limits: Record<string, unknown>; expiresAt?: string; updatedAt: string };
  before: KeyTermsSnapshot;
  after: KeyTermsSnapshot;
}

/** The key's terms a card can change. */
export function keyTerms(key: Pick<KeyRecord, 'limits' | 'expiresAt'>): KeyTermsSnapshot {
  const limits = key.limits as { costUsd?: { total?: unknown }; expiresAt?: unknown; expiresAfterFirstUse?: unknown };
  const out: KeyTermsSnapshot = {};
  if (typeof limits.costUsd?.total === 'number') out.totalCostUsd = limits.costUsd.total;
  if (key.expiresAt !== undefined) out.expiresAt = key.expiresAt;
  if (typeof limits.expiresAt === 'string') out.limitsExpiresAt = limits.expiresAt;
  if (typeof limits.expiresAfterFirstUse === 'string') out.expiresAfterFirstUse = limits.expiresAfterFirstUse;
  return out;
}

/** Applies `card` to `key` at `nowMs`, or says why it cannot. */
export function applyCard(
  card: CardTerms,
  key: KeyRecord,
  nowMs: number,
  ceilings: CardCeilings = {},
): CardApplication | NotApplicable {
  if (key.source === 'config') {
    return { refused: 'This key is declared in the gateway configuration file; cards cannot change it. Ask the operator.' };
  }
  const before = keyTerms(key);
  const after: KeyTermsSnapshot = { ...before };
  const limits: Record<string, unknown> = structuredClone(key.limits);
  let expiresAt: string | undefined;

  if (card.creditUsd !== undefined && card.creditUsd > 0) {
    if (before.totalCostUsd === undefined) {
      return { refused: 'This key has no total cost cap, so there is nothing for a dollar card to raise. Ask the operator.' };
    }
    const total = Math.round((before.totalCostUsd + card.creditUsd) * 1e6) / 1e6;
    if (ceilings.maxTotalCostUsd !== undefined && total > ceilings.maxTotalCostUsd) {
      return { refused: `This card would raise the key's cost cap above the gateway's ceiling of $${ceilings.maxTotalCostUsd}.` };
    }
    limits['costUsd'] = { ...(limits['costUsd'] as object), total };
    after.totalCostUsd = total;
  }

  if (card.days !== undefined && card.days > 0) {
    const span = card.days * DAY_MS;
    if (before.expiresAt === undefined && before.limitsExpiresAt === undefined && before.expiresAfterFirstUse === undefined) {
      return { refused: 'This key never expires, so there is nothing for a days card to extend.' };
    }
    const extend = (iso: string): string => new Date(Math.max(Date.parse(iso), nowMs) + span).toISOString();
    if (before.expiresAt !== undefined) after.expiresAt = expiresAt = extend(before.expiresAt);
    if (before.limitsExpiresAt !== undefined) after.limitsExpiresAt = limits['expiresAt'] = extend(before.limitsExpiresAt);
    if (before.expiresAfterFirstUse !== undefined) {
      const ms = parseDuration(before.expiresAfterFirstUse);
      if (ms === undefined) return { refused: 'This key has an expiry the gateway cannot read; ask the operator.' };
      after.expiresAfterFirstUse = limits['expiresAfterFirstUse'] = asDuration(ms + span);
    }
    if (ceilings.maxExpiryDays !== undefined) {
      const furthest = nowMs + ceilings.maxExpiryDays * DAY_MS;
      const fixed = [after.expiresAt, after.limitsExpiresAt].filter((iso): iso is string => iso !== undefined);
      const activation = after.expiresAfterFirstUse === undefined ? 0 : parseDuration(after.expiresAfterFirstUse)!;
      if (fixed.some((iso) => Date.parse(iso) > furthest) || activation > ceilings.maxExpiryDays * DAY_MS) {
        return {
          refused: `This card would extend the key past the gateway's ceiling of ${ceilings.maxExpiryDays} days from now.`,
        };
      }
    }
  }

  const keyPatch: CardApplication['keyPatch'] = { limits, updatedAt: new Date(nowMs).toISOString() };
  if (expiresAt !== undefined) keyPatch.expiresAt = expiresAt;
  return { keyPatch, before, after };
}

/** A duration text for `ms`: in whole days, else hours, else minutes, else seconds. */
function asDuration(ms: number): string {
  if (ms % DAY_MS === 0) return `${ms / DAY_MS}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${Math.ceil(ms / 1000)}s`;
}
