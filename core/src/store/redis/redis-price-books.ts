/** Price book versions in Redis. */
import type { Redis } from 'ioredis';
import type { PriceTable } from '@switchyard/plugin-api';
import type { PriceBookRepository, PriceBookVersion } from '../types.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';

// KEYS: versions hash, latest string. ARGV: digest, JSON of { digest, createdAt, table }.
// Returns the latest version when its digest matches, else stores a new one.
const PUBLISH = new RedisScript(`
local latest = tonumber(redis.call('GET', KEYS[2]) or '0')
if latest > 0 then
  local json = redis.call('HGET', KEYS[1], tostring(latest))
  if json and cjson.decode(json).digest == ARGV[1] then return latest end
end
local version = latest + 1
redis.call('HSET', KEYS[1], tostring(version), ARGV[2])
redis.call('SET', KEYS[2], tostring(version))
return version
`);

interface Stored {
  digest: string;
  createdAt: string;
  table: PriceTable;
}

/**
 * {@link PriceBookRepository} in Redis: `{p}price-book:versions` (hash version -> JSON)
 * and `{p}price-book:latest`. Publishing is one script, so instances starting together
 * agree on the version numbers.
 */
export class RedisPriceBooks implements PriceBookRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  async publish(digest: string, table: PriceTable, createdAt: string): Promise<number> {
    const stored: Stored = { digest, createdAt, table };
    return Number(await PUBLISH.run(this.redis, [this.versionsKey(), this.latestKey()], [digest, JSON.stringify(stored)]));
  }

  async get(version: number): Promise<PriceBookVersion | undefined> {
    const json = await this.redis.hget(this.versionsKey(), String(version));
    if (json === null) return undefined;
    return { version, ...(JSON.parse(json) as Stored) };
  }

  async list(limit = 50): Promise<Omit<PriceBookVersion, 'table'>[]> {
    const latest = Number((await this.redis.get(this.latestKey())) ?? 0);
    const out: Omit<PriceBookVersion, 'table'>[] = [];
    for (let version = latest; version > 0 && out.length < limit; version--) {
      const found = await this.get(version);
      if (found) out.push({ version, digest: found.digest, createdAt: found.createdAt });
    }
    return out;
  }

  private versionsKey(): string {
    return `${this.keyspace.prefix}price-book:versions`;
  }

  private latestKey(): string {
    return `${this.keyspace.prefix}price-book:latest`;
  }
}
