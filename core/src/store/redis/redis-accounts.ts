/** Upstream accounts in Redis. */
import type { Redis } from 'ioredis';
import type { AccountRecord, AccountRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { RedisDocuments } from './redis-documents.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link AccountRepository} over the `{p}accounts` hash (id → JSON). */
export class RedisAccounts implements AccountRepository {
  private readonly docs: RedisDocuments<AccountRecord>;

  constructor(redis: Redis, keyspace: RedisKeyspace) {
    this.docs = new RedisDocuments<AccountRecord>(redis, { key: keyspace.accounts(), idField: 'id', label: 'accounts' });
  }

  async create(record: AccountRecord): Promise<void> {
    await this.docs.create(record);
  }

  async get(id: string): Promise<AccountRecord | undefined> {
    return this.docs.get(id);
  }

  async list(): Promise<AccountRecord[]> {
    return (await this.docs.list()).sort(compareCreated);
  }

  async update(id: string, patch: Partial<Omit<AccountRecord, 'id'>>): Promise<AccountRecord | undefined> {
    return this.docs.update(id, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
