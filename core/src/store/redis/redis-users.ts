/** Users (admins and portal users) in Redis. */
import type { Redis } from 'ioredis';
import type { UserRecord, UserRepository } from '../types.js';
import { RedisDocuments } from './redis-documents.js';
import type { RedisKeyspace } from './redis-keyspace.js';

/** {@link UserRepository} over the `{p}users` hash (username → JSON); `list()` is ordered by username. */
export class RedisUsers implements UserRepository {
  private readonly docs: RedisDocuments<UserRecord>;

  constructor(redis: Redis, keyspace: RedisKeyspace) {
    this.docs = new RedisDocuments<UserRecord>(redis, { key: keyspace.users(), idField: 'username', label: 'users' });
  }

  async put(record: UserRecord): Promise<void> {
    await this.docs.put(record);
  }

  async get(username: string): Promise<UserRecord | undefined> {
    return this.docs.get(username);
  }

  async list(): Promise<UserRecord[]> {
    return (await this.docs.list()).sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async delete(username: string): Promise<boolean> {
    return this.docs.delete(username);
  }
}
