/**
 * Quota cards in the store: batches an admin creates, the cards (secrets: only their
 * HMAC is kept), and the audit trail of redemptions. Redeeming is one atomic step on
 * both backends (the card is marked used and the key changed together, or neither), so
 * a card raises a key's limits once, whatever the number of gateway instances.
 */
import type { KeyRecord } from './types.js';

/** A card's terms: dollar credit, days of validity, or both. */
export interface CardTerms {
  /** Added to the key's total cost cap, in USD. */
  creditUsd?: number;
  /** Added to the key's expiry, in days. */
  days?: number;
}

/** One batch of cards, as the admin created it. */
export interface CardBatchRecord extends CardTerms {
  id: string;
  note?: string;
  /** How many cards the batch holds. */
  count: number;
  /** The cards' own expiry (ISO 8601): an unused card cannot be redeemed after it. */
  expiresAt?: string;
  /** The admin who created it. */
  createdBy: string;
  createdAt: string;
  /** Set when the whole batch was revoked. */
  revokedAt?: string;
}

/** One card. The code itself is never stored, only its HMAC (`hash`). */
export interface CardRecord extends CardTerms {
  id: string;
  batchId: string;
  /** HMAC-SHA256 (hex) of the normalised code with the gateway's key-hash secret. */
  hash: string;
  /** A safe display form of the code, e.g. `SYC-…-7KQP`. */
  hint: string;
  /** The card's own expiry (ISO 8601). */
  expiresAt?: string;
  createdAt: string;
  revokedAt?: string;
  revokedBy?: string;
  /** Set by a redemption, with the key it went to and the audit record's id. */
  redeemedAt?: string;
  redeemedByKey?: string;
  redemptionId?: string;
}

/** What a redemption changed on a key (a snapshot before or after). */
export interface KeyTermsSnapshot {
  /** `limits.costUsd.total`. */
  totalCostUsd?: number;
  /** The key's `expiresAt`. */
  expiresAt?: string;
  /** `limits.expiresAt`. */
  limitsExpiresAt?: string;
  /** `limits.expiresAfterFirstUse`. */
  expiresAfterFirstUse?: string;
}

/** The audit record of one redemption: who, which key, when, from where, what changed. */
export interface CardRedemptionRecord extends CardTerms {
  id: string;
  cardId: string;
  batchId: string;
  cardHint: string;
  keyId: string;
  keyName: string;
  keyHint: string;
  /** The key's owner, when it has one. */
  keyOwner?: string;
  /** ISO 8601. */
  at: string;
  /** The client address the redemption came from. */
  ip: string;
  before: KeyTermsSnapshot;
  after: KeyTermsSnapshot;
}

/**
 * Decides a redemption from the card and the key as they are inside the atomic step:
 * the change to make to the key and the audit record, or a refusal (nothing is written).
 * Must be synchronous and free of side effects: a backend may call it more than once.
 */
export type CardRedeemDecision = (
  card: CardRecord,
  key: KeyRecord,
) => { refused: string } | { keyPatch: Partial<Omit<KeyRecord, 'id' | 'hash' | 'hint'>>; redemption: CardRedemptionRecord };

/** What {@link CardRepository.redeem} did. */
export type CardRedeemResult =
  | { outcome: 'redeemed'; card: CardRecord; key: KeyRecord; redemption: CardRedemptionRecord }
  /** The decision refused; `reason` is its message. */
  | { outcome: 'refused'; reason: string }
  | { outcome: 'already-redeemed' | 'revoked'; card: CardRecord }
  | { outcome: 'missing-card' | 'missing-key' };

/** What {@link CardRepository.revoke} did. */
export type CardRevokeResult =
  | { outcome: 'revoked'; card: CardRecord }
  /** Used already: a redeemed card cannot be revoked. */
  | { outcome: 'redeemed'; card: CardRecord }
  | { outcome: 'missing' };

/** A filter of {@link CardRepository.listRedemptions}. */
export interface CardRedemptionQuery {
  keyId?: string;
  batchId?: string;
  /** Newest first; default 100. */
  limit?: number;
}

/** Batches, cards and redemptions. */
export interface CardRepository {
  /**
   * Stores a batch and its cards together. Fails with a `StoreConflictError` (storing
   * nothing) when the batch id, a card id or a card hash exists.
   */
  createBatch(batch: CardBatchRecord, cards: readonly CardRecord[]): Promise<void>;
  getBatch(id: string): Promise<CardBatchRecord | undefined>;
  /** Oldest first. */
  listBatches(): Promise<CardBatchRecord[]>;
  /** Marks the batch revoked (its unused cards are revoked one by one with {@link revoke}). */
  markBatchRevoked(id: string, at: string): Promise<CardBatchRecord | undefined>;
  get(id: string): Promise<CardRecord | undefined>;
  findByHash(hash: string): Promise<CardRecord | undefined>;
  /** The cards of a batch, oldest first. */
  listCards(batchId: string): Promise<CardRecord[]>;
  /** Revokes an unused card (idempotent on a revoked one); atomic with {@link redeem}. */
  revoke(id: string, at: string, by: string): Promise<CardRevokeResult>;
  /**
   * In one atomic step: when card `cardId` is neither redeemed nor revoked and key
   * `keyId` exists, asks `decide` and, unless it refuses, applies its patch to the key,
   * marks the card redeemed and stores the redemption record.
   */
  redeem(cardId: string, keyId: string, decide: CardRedeemDecision): Promise<CardRedeemResult>;
  /** Redemptions, newest first. */
  listRedemptions(query?: CardRedemptionQuery): Promise<CardRedemptionRecord[]>;
}
