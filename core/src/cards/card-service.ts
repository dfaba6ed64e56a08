/**
 * Quota cards: an admin creates batches (codes shown once), lists and revokes them and
 * reads the redemptions; a key holder redeems a code onto their own key. Redemption is
 * throttled per key and per client IP (shared counters, so every instance agrees) and is
 * one atomic store step (the card used and the key changed together), then audited.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { KeyRecord, Store } from '../store/types.js';
import type { CardBatchRecord, CardRecord, CardRedemptionQuery, CardRedemptionRecord } from '../store/card-types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { Clock } from '../time/clock.js';
import { randomId } from '../keys/key-material.js';
import { LoginThrottle } from '../auth/login-throttle.js';
import { cardHint, generateCardCode, hashCardCode, normalizeCardCode } from './card-code.js';
import { applyCard, type CardCeilings } from './apply-card.js';
import type { CardsConfig } from './cards-config.js';
import { CardInputError } from './card-input-error.js';

/** Most cards in one batch. */
export const MAX_BATCH_SIZE = 1000;

/** Where a card stands. */
export type CardStatus = 'unused' | 'redeemed' | 'revoked' | 'expired';

/** What {@link CardService.createBatch} takes. */
export interface CreateCardBatchInput {
  creditUsd?: number;
  days?: number;
  count: number;
  /** The cards' own expiry (ISO 8601). */
  expiresAt?: string;
  note?: string;
}

/** Why a redemption did not happen. */
export type RedeemFailure =
  | 'unknown'
  | 'redeemed'
  | 'revoked'
  | 'expired'
  /** The card cannot apply to this key (no cap to raise, no expiry to extend, a ceiling). */
  | 'not-applicable'
  | 'throttled';

/** The outcome of {@link CardService.redeem}. */
export type RedeemOutcome =
  | { ok: true; redemption: CardRedemptionRecord; key: KeyRecord }
  | { ok: false; failure: RedeemFailure; message: string; retryAfterMs?: number };

/** Options of {@link CardService}. */
export interface CardServiceOptions {
  store: Pick<Store, 'cards' | 'counters'>;
  secrets: Pick<GatewaySecrets, 'keyHashKey'>;
  config: CardsConfig;
  clock: Clock;
  log: Logger;
  /** Called with a key id once a redemption changed it (drops cached copies of the key). */
  onKeyChanged?(keyId: string): void;
}

/** A card's status at `nowMs`. */
export function cardStatus(card: CardRecord, nowMs: number): CardStatus {
  if (card.redeemedAt !== undefined) return 'redeemed';
  if (card.revokedAt !== undefined) return 'revoked';
  if (card.expiresAt !== undefined && Date.parse(card.expiresAt) <= nowMs) return 'expired';
  return 'unused';
}

/** Creates, revokes and redeems quota cards. */
export class CardService {
  private readonly hashKey: KeyObject;
  private readonly throttle: LoginThrottle;
  private readonly ceilings: CardCeilings;

  constructor(private readonly options: CardServiceOptions) {
    this.hashKey = createSecretKey(options.secrets.keyHashKey);
    this.throttle = new LoginThrottle({
      store: options.store,
      maxFailuresPerUser: options.config.maxFailuresPerKey,
      maxFailuresPerIp: options.config.maxFailuresPerIp,
      windowMs: options.config.windowMs,
      scope: 'card-redeem',
    });
    this.ceilings = {
      ...(options.config.maxTotalCostUsd === undefined ? {} : { maxTotalCostUsd: options.config.maxTotalCostUsd }),
      ...(options.config.maxExpiryDays === undefined ? {} : { maxExpiryDays: options.config.maxExpiryDays }),
    };
  }

  private now(): number {
    return this.options.clock.now();
  }

  /** Creates a batch; the codes are in this answer only (they are stored hashed). */
  async createBatch(input: CreateCardBatchInput, admin: string): Promise<{ batch: CardBatchRecord; codes: string[] }> {
    const problems: string[] = [];
    if (!(input.creditUsd !== undefined && input.creditUsd > 0) && !(input.days !== undefined && input.days > 0)) {
      problems.push('a card needs creditUsd, days or both');
    }
    if (!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_BATCH_SIZE) {
      problems.push(`count: 1 to ${MAX_BATCH_SIZE}`);
    }
    if (input.expiresAt !== undefined && !(Date.parse(input.expiresAt) > this.now()))
      problems.push('expiresAt: must be in the future');
    if (problems.length > 0) throw new CardInputError(problems);
    const createdAt = new Date(this.now()).toISOString();
    const terms = {
      ...(input.creditUsd === undefined ? {} : { creditUsd: input.creditUsd }),
      ...(input.days === undefined ? {} : { days: input.days }),
      ...(input.expiresAt === undefined ? {} : { expiresAt: new Date(input.expiresAt).toISOString() }),
    };
    const batch: CardBatchRecord = {
      id: randomId('cb_'),
      count: input.count,
      ...terms,
      ...(input.note ? { note: input.note } : {}),
      createdBy: admin,
      createdAt,
    };
    const codes: string[] = [];
    const cards: CardRecord[] = [];
    for (let i = 0; i < input.count; i++) {
      const code = generateCardCode();
      codes.push(code);
      cards.push({
        id: randomId('card_'),
        batchId: batch.id,
        hash: hashCardCode(this.hashKey, normalizeCardCode(code)!),
        hint: cardHint(code),
        ...terms,
        createdAt,
      });
    }
    await this.options.store.cards.createBatch(batch, cards);
    this.options.log.info('quota card batch created', { batchId: batch.id, count: batch.count, by: admin });
    return { batch, codes };
  }

  /** Every batch with how many of its cards stand where. */
  async listBatches(): Promise<(CardBatchRecord & { counts: Record<CardStatus, number> })[]> {
    const now = this.now();
    const batches = await this.options.store.cards.listBatches();
    return Promise.all(
      batches.map(async (batch) => {
        const counts: Record<CardStatus, number> = { unused: 0, redeemed: 0, revoked: 0, expired: 0 };
        for (const card of await this.options.store.cards.listCards(batch.id)) counts[cardStatus(card, now)]++;
        return { ...batch, counts };
      }),
    );
  }

  /** One batch and its cards with their status; undefined when absent. */
  async getBatch(id: string): Promise<{ batch: CardBatchRecord; cards: (CardRecord & { status: CardStatus })[] } | undefined> {
    const batch = await this.options.store.cards.getBatch(id);
    if (batch === undefined) return undefined;
    const now = this.now();
    const cards = (await this.options.store.cards.listCards(id)).map((card) => ({ ...card, status: cardStatus(card, now) }));
    return { batch, cards };
  }

  /** Revokes one unused card. */
  revokeCard(id: string, admin: string) {
    return this.options.store.cards.revoke(id, new Date(this.now()).toISOString(), admin);
  }

  /** Revokes every unused card of a batch; undefined when the batch is absent. */
  async revokeBatch(id: string, admin: string): Promise<{ batch: CardBatchRecord; revoked: number } | undefined> {
    const at = new Date(this.now()).toISOString();
    const batch = await this.options.store.cards.markBatchRevoked(id, at);
    if (batch === undefined) return undefined;
    let revoked = 0;
    for (const card of await this.options.store.cards.listCards(id)) {
      if (card.redeemedAt !== undefined || card.revokedAt !== undefined) continue;
      if ((await this.options.store.cards.revoke(card.id, at, admin)).outcome === 'revoked') revoked++;
    }
    this.options.log.info('quota card batch revoked', { batchId: id, revoked, by: admin });
    return { batch, revoked };
  }

  listRedemptions(query: CardRedemptionQuery = {}): Promise<CardRedemptionRecord[]> {
    return this.options.store.cards.listRedemptions(query);
  }

  /**
   * Redeems `presented` (a code as typed) onto `key`, for a request from `ip`. Every
   * attempt counts against the key's and the IP's budgets of failures; a success forgives
   * the key's.
   */
  async redeem(presented: string, key: KeyRecord, ip: string): Promise<RedeemOutcome> {
    const verdict = await this.throttle.attempt(key.id, ip);
    if (!verdict.allowed) {
      this.options.log.warn('quota card redemption throttled', { keyId: key.id, ip });
      return {
        ok: false,
        failure: 'throttled',
        message: 'Too many failed card redemptions; try again later.',
        retryAfterMs: verdict.retryAfterMs,
      };
    }
    const outcome = await this.tryRedeem(presented, key, ip);
    if (outcome.ok) {
      await this.throttle.succeeded(key.id, ip);
      this.options.onKeyChanged?.(key.id);
      const { redemption } = outcome;
      this.options.log.info('quota card redeemed', {
        cardId: redemption.cardId,
        keyId: key.id,
        ip,
        before: redemption.before,
        after: redemption.after,
      });
    } else {
      this.options.log.warn('quota card redemption refused', { keyId: key.id, ip, failure: outcome.failure });
    }
    return outcome;
  }

  private async tryRedeem(presented: string, key: KeyRecord, ip: string): Promise<RedeemOutcome> {
    const normalized = normalizeCardCode(presented);
    const card =
      normalized === undefined ? undefined : await this.options.store.cards.findByHash(hashCardCode(this.hashKey, normalized));
    if (card === undefined) return fail('unknown', 'No card has this code; check it and try again.');
    let refusal: RedeemOutcome | undefined;
    const result = await this.options.store.cards.redeem(card.id, key.id, (current, currentKey) => {
      const now = this.now();
      if (current.expiresAt !== undefined && Date.parse(current.expiresAt) <= now) {
        refusal = fail('expired', `This card expired at ${current.expiresAt}.`);
        return { refused: 'expired' };
      }
      const applied = applyCard(current, currentKey, now, this.ceilings);
      if ('refused' in applied) {
        refusal = fail('not-applicable', applied.refused);
        return applied;
      }
      const redemption: CardRedemptionRecord = {
        id: randomId('red_'),
        cardId: current.id,
        batchId: current.batchId,
        cardHint: current.hint,
        keyId: currentKey.id,
        keyName: currentKey.name,
        keyHint: currentKey.hint,
        ...(currentKey.owner === undefined ? {} : { keyOwner: currentKey.owner }),
        ...(current.creditUsd === undefined ? {} : { creditUsd: current.creditUsd }),
        ...(current.days === undefined ? {} : { days: current.days }),
        at: new Date(now).toISOString(),
        ip,
        before: applied.before,
        after: applied.after,
      };
      return { keyPatch: applied.keyPatch, redemption };
    });
    switch (result.outcome) {
      case 'redeemed':
        return { ok: true, redemption: result.redemption, key: result.key };
      case 'refused':
        return refusal ?? fail('not-applicable', result.reason);
      case 'already-redeemed':
        return fail('redeemed', 'This card has already been redeemed.');
      case 'revoked':
        return fail('revoked', 'This card has been revoked.');
      case 'missing-card':
        return fail('unknown', 'No card has this code; check it and try again.');
      case 'missing-key':
        return fail('unknown', 'The key was deleted.');
    }
  }
}

function fail(failure: RedeemFailure, message: string): RedeemOutcome {
  return { ok: false, failure, message };
}
