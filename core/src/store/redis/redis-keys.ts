/** Client API keys in Redis. */
import type { Redis } from 'ioredis';
import type { KeyRecord, KeyRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { RedisDocuments } from './redis-documents.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link KeyRepository} over `{p}keys` (id → JSON) and `{p}keys:by-hash` (hash → id). */
export class RedisKeys implements KeyRepository {
  private readonly docs: RedisDocuments<KeyRecord>;

  constructor(redis: Redis, keyspace: RedisKeyspace) {
    this.docs = new RedisDocuments<KeyRecord>(redis, {
      key: keyspace.keys(),
      idField: 'id',
      unique: { key: keyspace.keysByHash(), field: 'hash' },
      label: 'keys',
    });
  }

  async create(record: KeyRecord): Promise<void> {
    await this.docs.create(record);
  }

  async get(id: string): Promise<KeyRecord | undefined> {
    return this.docs.get(id);
  }

  async findByHash(hash: string): Promise<KeyRecord | undefined> {
    return this.docs.findByUnique(hash);
  }

  async list(): Promise<KeyRecord[]> {
    return (await this.docs.list()).sort(compareCreated);
  }

  async update(id: string, patch: Partial<Omit<KeyRecord, 'id'>>): Promise<KeyRecord | undefined> {
    return this.docs.update(id, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
