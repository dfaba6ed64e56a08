/** Quota cards in the embedded store's SQLite file. */
import type { Database, Statement } from 'better-sqlite3';
import type { KeyRecord } from '../types.js';
import { StoreConflictError } from '../types.js';
import type {
  CardBatchRecord,
  CardRecord,
  CardRedeemDecision,
  CardRedeemResult,
  CardRedemptionQuery,
  CardRedemptionRecord,
  CardRepository,
  CardRevokeResult,
} from '../card-types.js';
import { DEFAULT_REDEMPTION_LIMIT, planRedeem, planRevoke } from '../card-steps.js';
import { compareCreated, decodeJson, encodeJson } from '../records.js';

/**
 * {@link CardRepository} over `card_batches`, `cards` (unique `hash`) and
 * `card_redemptions`. A redemption is one IMMEDIATE transaction that reads the card and
 * the key row of `api_keys`, then writes both and the audit row: the write lock is held
 * from the read on, so no other writer (another connection to the file included) can
 * slip in between.
 */
export class EmbeddedCards implements CardRepository {
  private readonly statements: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const prepare = (sql: string, pluck = true) => (pluck ? db.prepare(sql).pluck() : db.prepare(sql));
    this.statements = {
      insertBatch: prepare('INSERT INTO card_batches (id, data) VALUES (?, ?)', false),
      updateBatch: prepare('UPDATE card_batches SET data = ? WHERE id = ?', false),
      getBatch: prepare('SELECT data FROM card_batches WHERE id = ?'),
      listBatches: prepare('SELECT data FROM card_batches'),
      insertCard: prepare('INSERT INTO cards (id, hash, batch_id, data) VALUES (?, ?, ?, ?)', false),
      updateCard: prepare('UPDATE cards SET data = ? WHERE id = ?', false),
      getCard: prepare('SELECT data FROM cards WHERE id = ?'),
      findCard: prepare('SELECT data FROM cards WHERE hash = ?'),
      listCards: prepare('SELECT data FROM cards WHERE batch_id = ?'),
      getKey: prepare('SELECT data FROM api_keys WHERE id = ?'),
      updateKey: prepare('UPDATE api_keys SET data = ? WHERE id = ?', false),
      insertRedemption: prepare('INSERT INTO card_redemptions (id, key_id, batch_id, at_ms, data) VALUES (?, ?, ?, ?, ?)', false),
    };
  }

  async createBatch(batch: CardBatchRecord, cards: readonly CardRecord[]): Promise<void> {
    try {
      this.db
        .transaction(() => {
          this.statements['insertBatch']!.run(batch.id, encodeJson(batch));
          for (const card of cards) this.statements['insertCard']!.run(card.id, card.hash, card.batchId, encodeJson(card));
        })
        .immediate();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new StoreConflictError(`cards: batch ${batch.id} or one of its cards (id or hash) exists`);
      }
      throw error;
    }
  }

  async getBatch(id: string): Promise<CardBatchRecord | undefined> {
    return decode<CardBatchRecord>(this.statements['getBatch']!.get(id));
  }

  async listBatches(): Promise<CardBatchRecord[]> {
    return (this.statements['listBatches']!.all() as string[])
      .map((json) => decodeJson<CardBatchRecord>(json))
      .sort(compareCreated);
  }

  async markBatchRevoked(id: string, at: string): Promise<CardBatchRecord | undefined> {
    return this.db
      .transaction(() => {
        const batch = decode<CardBatchRecord>(this.statements['getBatch']!.get(id));
        if (batch === undefined || batch.revokedAt !== undefined) return batch;
        const next = { ...batch, revokedAt: at };
        this.statements['updateBatch']!.run(encodeJson(next), id);
        return next;
      })
      .immediate();
  }

  async get(id: string): Promise<CardRecord | undefined> {
    return decode<CardRecord>(this.statements['getCard']!.get(id));
  }

  async findByHash(hash: string): Promise<CardRecord | undefined> {
    return decode<CardRecord>(this.statements['findCard']!.get(hash));
  }

  async listCards(batchId: string): Promise<CardRecord[]> {
    return (this.statements['listCards']!.all(batchId) as string[])
      .map((json) => decodeJson<CardRecord>(json))
      .sort(compareCreated);
  }

  async revoke(id: string, at: string, by: string): Promise<CardRevokeResult> {
    return this.db
      .transaction((): CardRevokeResult => {
        const step = planRevoke(decode<CardRecord>(this.statements['getCard']!.get(id)), at, by);
        if ('done' in step) return step.done;
        this.statements['updateCard']!.run(encodeJson(step.write), id);
        return { outcome: 'revoked', card: step.write };
      })
      .immediate();
  }

  async redeem(cardId: string, keyId: string, decide: CardRedeemDecision): Promise<CardRedeemResult> {
    return this.db
      .transaction((): CardRedeemResult => {
        const card = decode<CardRecord>(this.statements['getCard']!.get(cardId));
        const key = decode<KeyRecord>(this.statements['getKey']!.get(keyId));
        const step = planRedeem(card, key, decide);
        if ('done' in step) return step.done;
        const { card: nextCard, key: nextKey, redemption } = step.write;
        this.statements['updateKey']!.run(encodeJson(nextKey), keyId);
        this.statements['updateCard']!.run(encodeJson(nextCard), cardId);
        this.statements['insertRedemption']!.run(
          redemption.id,
          redemption.keyId,
          redemption.batchId,
          Date.parse(redemption.at),
          encodeJson(redemption),
        );
        return { outcome: 'redeemed', card: nextCard, key: nextKey, redemption };
      })
      .immediate();
  }

  async listRedemptions(query: CardRedemptionQuery = {}): Promise<CardRedemptionRecord[]> {
    const limit = Math.floor(query.limit ?? DEFAULT_REDEMPTION_LIMIT);
    if (limit <= 0) return [];
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (query.keyId !== undefined) {
      clauses.push('key_id = ?');
      params.push(query.keyId);
    }
    if (query.batchId !== undefined) {
      clauses.push('batch_id = ?');
      params.push(query.batchId);
    }
    const where = clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '';
    const rows = this.db
      .prepare(`SELECT data FROM card_redemptions ${where} ORDER BY at_ms DESC, id DESC LIMIT ?`)
      .pluck()
      .all(...params, limit) as string[];
    return rows.map((json) => decodeJson<CardRedemptionRecord>(json));
  }
}

function decode<T>(json: unknown): T | undefined {
  return typeof json === 'string' ? decodeJson<T>(json) : undefined;
}
