/** Admin users in Redis. */
import type { Redis } from 'ioredis';
import type { AdminRecord, AdminRepository } from '../types.js';
import { RedisDocuments } from './redis-documents.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link AdminRepository} over the `{p}admins` hash (username → JSON); `list()` is ordered by username. */
export class RedisAdmins implements AdminRepository {
  private readonly docs: RedisDocuments<AdminRecord>;

  constructor(redis: Redis, keyspace: RedisKeyspace) {
    this.docs = new RedisDocuments<AdminRecord>(redis, { key: keyspace.admins(), idField: 'username', label: 'admins' });
  }

  async put(record: AdminRecord): Promise<void> {
    await this.docs.put(record);
  }

  async get(username: string): Promise<AdminRecord | undefined> {
    return this.docs.get(username);
  }

  async list(): Promise<AdminRecord[]> {
    return (await this.docs.list()).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async delete(username: string): Promise<boolean> {
    return this.docs.delete(username);
  }
}
