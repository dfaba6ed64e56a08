/**
 * Reads what `switchyard import crs` needs from a running reference installation's Redis:
 * client keys (`apikey:{id}` hashes), account records under the prefixes the loaded
 * account types declare, account kinds nobody declared (found by their `…account:index`
 * sets, to report them), groups with their members, and per-key usage totals.
 * Read-only: it never writes to the reference's Redis.
 */
import type { Redis } from 'ioredis';
import type { SourceRecord } from '@switchyard/plugin-api';

/** One stored record and its id. */
export interface CrsRecord {
  id: string;
  fields: SourceRecord;
}

/** A group and the ids of its members. */
export interface CrsGroup extends CrsRecord {
  members: string[];
}

/** A key's usage as the reference keeps it. */
export interface CrsKeyUsage {
  /** The `usage:{id}` hash (totalRequests, totalInputTokens, …). */
  totals: Record<string, string>;
  /** USD: lifetime, today's (in the reference's time zone) and this week's model-family spend. */
  costTotal: number;
  costToday: number;
  costWeekFamily: number;
}

/** Everything read. */
export interface CrsSnapshot {
  keys: CrsRecord[];
  groups: CrsGroup[];
  /** Records by declared key prefix. */
  accounts: Map<string, CrsRecord[]>;
  /** Account kinds no loaded account type imports: their key prefix and how many records. */
  unclaimed: { prefix: string; count: number }[];
  usage: Map<string, CrsKeyUsage>;
}

/** What to read. */
export interface ReadCrsOptions {
  /** Key prefixes and layouts declared by the loaded account types. */
  kinds: readonly { keyPrefix: string; layout: 'hash' | 'json' }[];
  /** Today's date in the reference's time zone (`YYYY-MM-DD`). */
  today: string;
  /** Candidate ids of a key's current week of model-family spend (the reference changed the format over time). */
  weekIds: (key: SourceRecord) => readonly string[];
  withUsage: boolean;
}

/** Every key matching `pattern` (SCAN, so a large keyspace is never blocked). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    for (const key of batch) found.add(key);
    cursor = next;
  } while (cursor !== '0');
  return [...found].sort();
}

/** Ids of the records `{prefix}{id}` (ids hold no `:`), from the index set and a scan. */
async function recordIds(redis: Redis, prefix: string): Promise<string[]> {
  const ids = new Set<string>();
  const indexKey = `${prefix}index`;
  if ((await redis.type(indexKey)) === 'set') for (const id of await redis.smembers(indexKey)) ids.add(id);
  for (const key of await scanKeys(redis, `${escapeGlob(prefix)}*`)) {
    const rest = key.slice(prefix.length);
    if (rest !== '' && rest !== 'index' && !rest.includes(':')) ids.add(rest);
  }
  return [...ids].sort();
}

async function readRecord(redis: Redis, key: string, layout: 'hash' | 'json'): Promise<SourceRecord | undefined> {
  const type = await redis.type(key);
  if (layout === 'hash' && type === 'hash') return redis.hgetall(key);
  if (type !== 'string') return undefined;
  const text = await redis.get(key);
  try {
    const parsed: unknown = text === null ? undefined : JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as SourceRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function readKeys(redis: Redis): Promise<CrsRecord[]> {
  const out: CrsRecord[] = [];
  for (const key of await scanKeys(redis, 'apikey:*')) {
    const id = key.slice('apikey:'.length);
    if (id.includes(':') || id === 'hash_map' || (await redis.type(key)) !== 'hash') continue;
    const fields = await redis.hgetall(key);
    if (typeof fields.apiKey === 'string' && fields.apiKey !== '') out.push({ id, fields });
  }
  return out;
}

async function readGroups(redis: Redis): Promise<CrsGroup[]> {
  const type = await redis.type('account_groups');
  const ids =
    type === 'set' ? await redis.smembers('account_groups') : type === 'hash' ? await redis.hkeys('account_groups') : [];
  const out: CrsGroup[] = [];
  for (const id of ids.sort()) {
    const fields = await redis.hgetall(`account_group:${id}`);
    if (Object.keys(fields).length === 0) continue;
    out.push({ id, fields, members: (await redis.smembers(`account_group_members:${id}`)).sort() });
  }
  return out;
}

async function readUsage(redis: Redis, key: CrsRecord, options: ReadCrsOptions): Promise<CrsKeyUsage> {
  const keyId = key.id;
  const [totals, total, today, ...weeks] = await Promise.all([
    redis.hgetall(`usage:${keyId}`),
    redis.get(`usage:cost:total:${keyId}`),
    redis.get(`usage:cost:daily:${keyId}:${options.today}`),
    ...options.weekIds(key.fields).map((week) => redis.get(`usage:opus:weekly:${keyId}:${week}`)),
  ]);
  const week = weeks.find((value) => value !== null);
  return { totals, costTotal: usd(total), costToday: usd(today), costWeekFamily: usd(week ?? null) };
}

function usd(value: string | null): number {
  const parsed = value === null ? 0 : Number.parseFloat(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : 0;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Reads the reference's state. */
export async function readCrsSource(redis: Redis, options: ReadCrsOptions): Promise<CrsSnapshot> {
  const keys = await readKeys(redis);
  const accounts = new Map<string, CrsRecord[]>();
  for (const kind of options.kinds) {
    if (accounts.has(kind.keyPrefix)) continue;
    const records: CrsRecord[] = [];
    for (const id of await recordIds(redis, kind.keyPrefix)) {
      const fields = await readRecord(redis, `${kind.keyPrefix}${id}`, kind.layout);
      if (fields) records.push({ id, fields });
    }
    accounts.set(kind.keyPrefix, records);
  }
  const unclaimed: { prefix: string; count: number }[] = [];
  for (const indexKey of await scanKeys(redis, '*account:index')) {
    const prefix = indexKey.slice(0, -'index'.length);
    if (accounts.has(prefix) || (await redis.type(indexKey)) !== 'set') continue;
    const count = (await recordIds(redis, prefix)).length;
    if (count > 0) unclaimed.push({ prefix, count });
  }
  const usage = new Map<string, CrsKeyUsage>();
  if (options.withUsage) for (const key of keys) usage.set(key.id, await readUsage(redis, key, options));
  return { keys, groups: await readGroups(redis), accounts, unclaimed, usage };
}
