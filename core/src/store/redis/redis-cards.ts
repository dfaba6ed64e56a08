/** Quota cards in Redis. */
import type { Redis } from 'ioredis';
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
import { DEFAULT_REDEMPTION_LIMIT, byNewest, planRedeem, planRevoke } from '../card-steps.js';
import { compareCreated, decodeJson, encodeJson } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

// KEYS: batches, cards, cards:by-hash, cards:by-batch:<id>; ARGV: batchId, batchJson, then (cardId, hash, json)…
// 1 = stored, 0 = an id or hash exists (nothing stored).
const CREATE_BATCH = new RedisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
local ids, hashes = {}, {}
for i = 3, #ARGV, 3 do
  if ids[ARGV[i]] or hashes[ARGV[i + 1]] then return 0 end
  if redis.call('HEXISTS', KEYS[2], ARGV[i]) == 1 or redis.call('HEXISTS', KEYS[3], ARGV[i + 1]) == 1 then return 0 end
  ids[ARGV[i]] = true
  hashes[ARGV[i + 1]] = true
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 3, #ARGV, 3 do
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  redis.call('HSET', KEYS[3], ARGV[i + 1], ARGV[i])
  redis.call('SADD', KEYS[4], ARGV[i])
end
return 1
`);

// KEYS: hash; ARGV: field, expectedJson, newJson. 1 = written, 0 = changed meanwhile (or gone).
const COMPARE_AND_SET = new RedisScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

// KEYS: cards, keys, redemptions, index all, index key, index batch.
// ARGV: cardId, cardExpected, cardNew, keyId, keyExpected, keyNew, redemptionId, redemptionJson, atMs.
// 1 = redeemed; 0 = the card or the key changed since they were read (read again and retry).
const REDEEM = new RedisScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
if redis.call('HGET', KEYS[2], ARGV[4]) ~= ARGV[5] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[4], ARGV[6])
redis.call('HSET', KEYS[3], ARGV[7], ARGV[8])
redis.call('ZADD', KEYS[4], ARGV[9], ARGV[7])
redis.call('ZADD', KEYS[5], ARGV[9], ARGV[7])
redis.call('ZADD', KEYS[6], ARGV[9], ARGV[7])
return 1
`);

const MAX_CAS_ATTEMPTS = 50;

/**
 * {@link CardRepository} over `{p}card-batches`, `{p}cards` (+ `cards:by-hash`,
 * `cards:by-batch:<id>`) and `{p}card-redemptions` (+ sorted-set indexes). Redeeming
 * reads the card and the key, decides, then writes both and the audit record in one Lua
 * script that first checks neither changed since it was read (compare-and-set on their
 * JSON); a lost race reads again. Two instances redeeming one card: one script runs
 * first, the other finds the card changed and then sees it redeemed.
 */
export class RedisCards implements CardRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async createBatch(batch: CardBatchRecord, cards: readonly CardRecord[]): Promise<void> {
    const args: string[] = [batch.id, encodeJson(batch)];
    for (const card of cards) {
      if (card.batchId !== batch.id) throw new TypeError(`cards: card ${card.id} names batch ${card.batchId}, not ${batch.id}`);
      args.push(card.id, card.hash, encodeJson(card));
    }
    const ks = this.keyspace;
    const keys = [ks.cardBatches(), ks.cards(), ks.cardsByHash(), ks.cardsByBatch(batch.id)];
    if ((await CREATE_BATCH.run(this.redis, keys, args)) !== 1) {
      throw new StoreConflictError(`cards: batch ${batch.id} or one of its cards (id or hash) exists`);
    }
  }

  async getBatch(id: string): Promise<CardBatchRecord | undefined> {
    return decode<CardBatchRecord>(await this.redis.hget(this.keyspace.cardBatches(), id));
  }

  async listBatches(): Promise<CardBatchRecord[]> {
    return (await this.redis.hvals(this.keyspace.cardBatches()))
      .map((json) => decodeJson<CardBatchRecord>(json))
      .sort(compareCreated);
  }

  async markBatchRevoked(id: string, at: string): Promise<CardBatchRecord | undefined> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.keyspace.cardBatches(), id);
      const batch = decode<CardBatchRecord>(json);
      if (batch === undefined || batch.revokedAt !== undefined) return batch;
      const next = { ...batch, revokedAt: at };
      if ((await COMPARE_AND_SET.run(this.redis, [this.keyspace.cardBatches()], [id, json!, encodeJson(next)])) === 1)
        return next;
    }
    throw new Error(`cards: revoking batch ${id} kept racing with other writers`);
  }

  async get(id: string): Promise<CardRecord | undefined> {
    return decode<CardRecord>(await this.redis.hget(this.keyspace.cards(), id));
  }

  async findByHash(hash: string): Promise<CardRecord | undefined> {
    const id = await this.redis.hget(this.keyspace.cardsByHash(), hash);
    if (id === null) return undefined;
    const card = await this.get(id);
    return card?.hash === hash ? card : undefined;
  }

  async listCards(batchId: string): Promise<CardRecord[]> {
    const ids = await this.redis.smembers(this.keyspace.cardsByBatch(batchId));
    if (ids.length === 0) return [];
    const found = await this.redis.hmget(this.keyspace.cards(), ...ids);
    return found
      .filter((json): json is string => json !== null)
      .map((json) => decodeJson<CardRecord>(json))
      .sort(compareCreated);
  }

  async revoke(id: string, at: string, by: string): Promise<CardRevokeResult> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.keyspace.cards(), id);
      const step = planRevoke(decode<CardRecord>(json), at, by);
      if ('done' in step) return step.done;
      if ((await COMPARE_AND_SET.run(this.redis, [this.keyspace.cards()], [id, json!, encodeJson(step.write)])) === 1) {
        return { outcome: 'revoked', card: step.write };
      }
    }
    throw new Error(`cards: revoking card ${id} kept racing with other writers`);
  }

  async redeem(cardId: string, keyId: string, decide: CardRedeemDecision): Promise<CardRedeemResult> {
    const ks = this.keyspace;
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const [cardJson, keyJson] = await Promise.all([this.redis.hget(ks.cards(), cardId), this.redis.hget(ks.keys(), keyId)]);
      const step = planRedeem(decode<CardRecord>(cardJson), decode<KeyRecord>(keyJson), decide);
      if ('done' in step) return step.done;
      const { card, key, redemption } = step.write;
      const keys = [
        ks.cards(),
        ks.keys(),
        ks.cardRedemptions(),
        ks.cardRedemptionIndex('all'),
        ks.cardRedemptionIndex(`key:${redemption.keyId}`),
        ks.cardRedemptionIndex(`batch:${redemption.batchId}`),
      ];
      const args = [
        cardId,
        cardJson!,
        encodeJson(card),
        keyId,
        keyJson!,
        encodeJson(key),
        redemption.id,
        encodeJson(redemption),
        Date.parse(redemption.at),
      ];
      if ((await REDEEM.run(this.redis, keys, args)) === 1) return { outcome: 'redeemed', card, key, redemption };
    }
    throw new Error(`cards: redeeming card ${cardId} kept racing with other writers`);
  }

  async listRedemptions(query: CardRedemptionQuery = {}): Promise<CardRedemptionRecord[]> {
    const limit = Math.floor(query.limit ?? DEFAULT_REDEMPTION_LIMIT);
    if (limit <= 0) return [];
    const ks = this.keyspace;
    const index =
      query.keyId !== undefined
        ? ks.cardRedemptionIndex(`key:${query.keyId}`)
        : query.batchId !== undefined
          ? ks.cardRedemptionIndex(`batch:${query.batchId}`)
          : ks.cardRedemptionIndex('all');
    // With both filters the key's index is read whole and filtered by batch.
    const both = query.keyId !== undefined && query.batchId !== undefined;
    const ids = await this.redis.zrevrange(index, 0, both ? -1 : limit - 1);
    if (ids.length === 0) return [];
    const found = await this.redis.hmget(ks.cardRedemptions(), ...ids);
    return found
      .filter((json): json is string => json !== null)
      .map((json) => decodeJson<CardRedemptionRecord>(json))
      .filter((record) => query.batchId === undefined || record.batchId === query.batchId)
      .sort(byNewest)
      .slice(0, limit);
  }
}

function decode<T>(json: string | null | unknown): T | undefined {
  return typeof json === 'string' ? decodeJson<T>(json) : undefined;
}
