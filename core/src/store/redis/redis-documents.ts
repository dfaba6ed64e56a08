/**
 * A Redis hash of JSON documents (id → JSON) with an optional unique secondary index
 * (a second hash value → id). Creation, compare-and-set updates and deletes are Lua
 * scripts, so the index never disagrees with the documents.
 */
import type { Redis } from 'ioredis';
import { StoreConflictError } from '../types.js';
import { decodeJson, encodeJson, mergePatch } from '../records.js';
import { RedisScript } from './redis-script.js';

// KEYS: docs, [index]; ARGV: id, json, [indexValue]. 1 = created, 0 = conflict.
const CREATE = new RedisScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if #KEYS > 1 and redis.call('HEXISTS', KEYS[2], ARGV[3]) == 1 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if #KEYS > 1 then redis.call('HSET', KEYS[2], ARGV[3], ARGV[1]) end
return 1
`);

// KEYS: docs, [index]; ARGV: id, expectedJson, newJson, [oldIndexValue, newIndexValue].
// 1 = updated, 0 = changed meanwhile (retry), -1 = index value taken, -2 = missing.
const UPDATE = new RedisScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return -2 end
if current ~= ARGV[2] then return 0 end
if #KEYS > 1 and ARGV[4] ~= ARGV[5] then
  local owner = redis.call('HGET', KEYS[2], ARGV[5])
  if owner and owner ~= ARGV[1] then return -1 end
  if redis.call('HGET', KEYS[2], ARGV[4]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[4]) end
  redis.call('HSET', KEYS[2], ARGV[5], ARGV[1])
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

// KEYS: docs, [index]; ARGV: id, expectedJson, [indexValue]. 1 = deleted, 0 = changed, -2 = missing.
const DELETE = new RedisScript(`
local current = redis.call('HGET', KEYS[1], ARGV[1])
if not current then return -2 end
if current ~= ARGV[2] then return 0 end
if #KEYS > 1 and redis.call('HGET', KEYS[2], ARGV[3]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[3]) end
redis.call('HDEL', KEYS[1], ARGV[1])
return 1
`);

const MAX_CAS_ATTEMPTS = 20;

/** Where a document collection lives in Redis. */
export interface RedisDocumentsOptions<T> {
  /** Hash id → JSON. */
  readonly key: string;
  readonly idField: keyof T & string;
  /** Hash value → id, mirroring one unique string field. */
  readonly unique?: { readonly key: string; readonly field: keyof T & string };
  /** Names the collection in errors. */
  readonly label: string;
}

/** CRUD over one Redis hash of JSON documents. */
export class RedisDocuments<T extends object> {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisDocumentsOptions<T>,
  ) {}

  /** Inserts; a taken id or unique value raises `StoreConflictError`. */
  async create(record: T): Promise<void> {
    const id = this.idOf(record);
    const args: string[] = [id, encodeJson(record)];
    if (this.options.unique) args.push(this.uniqueOf(record));
    if ((await CREATE.run(this.redis, this.keys(), args)) !== 1) throw this.conflict(id);
  }

  /** Inserts or replaces by id (collections without a unique index only). */
  async put(record: T): Promise<void> {
    if (this.options.unique) throw new Error(`${this.options.label}: put() is not available on a uniquely indexed collection`);
    await this.redis.hset(this.options.key, this.idOf(record), encodeJson(record));
  }

  async get(id: string): Promise<T | undefined> {
    const json = await this.redis.hget(this.options.key, id);
    return json === null ? undefined : decodeJson<T>(json);
  }

  /** Looks a document up by its unique value. */
  async findByUnique(value: string): Promise<T | undefined> {
    const unique = this.options.unique;
    if (!unique) return undefined;
    const id = await this.redis.hget(unique.key, value);
    if (id === null) return undefined;
    const record = await this.get(id);
    return record !== undefined && record[unique.field] === value ? record : undefined;
  }

  async list(): Promise<T[]> {
    const all = await this.redis.hvals(this.options.key);
    return all.map((json) => decodeJson<T>(json));
  }

  /** Merges `patch` into the stored document (compare-and-set, retried); undefined when absent. */
  async update(id: string, patch: Partial<T>): Promise<T | undefined> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.options.key, id);
      if (json === null) return undefined;
      const existing = decodeJson<T>(json);
      const next = mergePatch(existing, patch, this.options.idField);
      const args: string[] = [id, json, encodeJson(next)];
      if (this.options.unique) args.push(this.uniqueOf(existing), this.uniqueOf(next));
      const result = await UPDATE.run(this.redis, this.keys(), args);
      if (result === 1) return next;
      if (result === -2) return undefined;
      if (result === -1) throw this.conflict(id);
    }
    throw new Error(`${this.options.label}: update of ${id} kept racing with other writers`);
  }

  async delete(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const json = await this.redis.hget(this.options.key, id);
      if (json === null) return false;
      const args: string[] = [id, json];
      if (this.options.unique) args.push(this.uniqueOf(decodeJson<T>(json)));
      const result = await DELETE.run(this.redis, this.keys(), args);
      if (result === 1) return true;
      if (result === -2) return false;
    }
    throw new Error(`${this.options.label}: delete of ${id} kept racing with other writers`);
  }

  private keys(): string[] {
    return this.options.unique ? [this.options.key, this.options.unique.key] : [this.options.key];
  }

  private idOf(record: T): string {
    const id = record[this.options.idField];
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`${this.options.label}: record needs a string "${this.options.idField}"`);
    return id;
  }

  private uniqueOf(record: T): string {
    const field = this.options.unique!.field;
    const value = record[field];
    if (typeof value !== 'string') throw new TypeError(`${this.options.label}: record needs a string "${field}"`);
    return value;
  }

  private conflict(id: string): StoreConflictError {
    const what = this.options.unique ? `${this.options.idField} or ${this.options.unique.field}` : this.options.idField;
    return new StoreConflictError(`${this.options.label}: a record with the same ${what} exists (${id})`);
  }
}
