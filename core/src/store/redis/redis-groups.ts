/** Account groups in Redis. */
import type { Redis } from 'ioredis';
import type { GroupRecord, GroupRepository } from '../types.js';
import { compareCreated } from '../records.js';
import { RedisDocuments } from './redis-documents.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link GroupRepository} over the `{p}groups` hash (id → JSON). */
export class RedisGroups implements GroupRepository {
  private readonly docs: RedisDocuments<GroupRecord>;

  constructor(redis: Redis, keyspace: RedisKeyspace) {
    this.docs = new RedisDocuments<GroupRecord>(redis, { key: keyspace.groups(), idField: 'id', label: 'groups' });
  }

  async put(record: GroupRecord): Promise<void> {
    await this.docs.put(record);
  }

  async get(id: string): Promise<GroupRecord | undefined> {
    return this.docs.get(id);
  }

  async list(): Promise<GroupRecord[]> {
    return (await this.docs.list()).sort(compareCreated);
  }

  async delete(id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}
