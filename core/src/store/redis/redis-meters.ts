/** Meters for key limits in Redis, shared by every instance. */
import type { Redis } from 'ioredis';
import type { MeterCharges, MeterRepository, WindowBucket } from '../types.js';
import { assertInteger } from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { LUA_NOW_MS, RedisScript } from './redis-script.js';

// Shared Lua: drop buckets older than the period; return the sum of the rest.
const LUA_WINDOW = `${LUA_NOW_MS}
local function prune_and_sum(key, bucket, period, now)
  local oldest = math.floor(now / bucket) * bucket - period + bucket
  local flat = redis.call('HGETALL', key)
  local sum = 0
  local live = {}
  for i = 1, #flat, 2 do
    local start = tonumber(flat[i])
    if start < oldest then redis.call('HDEL', key, flat[i])
    else
      sum = sum + tonumber(flat[i + 1])
      live[#live + 1] = flat[i]
      live[#live + 1] = flat[i + 1]
    end
  end
  return sum, live
end
`;

// KEYS: window hash. ARGV: amount, bucketMs, periodMs. Returns the window's sum.
const ADD = new RedisScript(`${LUA_WINDOW}
local now = now_ms()
local bucket = tonumber(ARGV[2])
local period = tonumber(ARGV[3])
local start = string.format('%.0f', math.floor(now / bucket) * bucket)
redis.call('HINCRBY', KEYS[1], start, ARGV[1])
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', period + bucket))
local sum = prune_and_sum(KEYS[1], bucket, period, now)
return sum
`);

// KEYS: window hash. ARGV: bucketMs, periodMs. Returns { now, start1, amount1, ... }.
const READ = new RedisScript(`${LUA_WINDOW}
local now = now_ms()
local _, live = prune_and_sum(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), now)
table.insert(live, 1, string.format('%.0f', now))
return live
`);

// KEYS: maxima hash. ARGV: field, value.
const RAISE = new RedisScript(`
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
if not current or tonumber(ARGV[2]) > current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  return tonumber(ARGV[2])
end
return current
`);

// KEYS: total. ARGV: amount, retainMs. Adds and sets the TTL in one command (a MULTI of
// INCRBY and PEXPIRE was four commands on the hot path of every charged request).
const ADD_RETAINED = new RedisScript(`
local total = redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return total
`);

// KEYS: the totals, then the windows, then the maxima hash (when there are maxima).
// ARGV: how many totals, windows and maxima; then per total amount and retainMs ('' to
// keep it); per window amount, bucketMs and periodMs; per maximum field and value. The
// writes of ADD_RETAINED (or INCRBY), ADD and RAISE, all in one command (issue 22).
const CHARGE = new RedisScript(`${LUA_WINDOW}
local totals, windows, maxima = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local arg = 4
for i = 1, totals do
  redis.call('INCRBY', KEYS[i], ARGV[arg])
  if ARGV[arg + 1] ~= '' then redis.call('PEXPIRE', KEYS[i], ARGV[arg + 1]) end
  arg = arg + 2
end
if windows > 0 then
  local now = now_ms()
  for i = totals + 1, totals + windows do
    local bucket = tonumber(ARGV[arg + 1])
    local period = tonumber(ARGV[arg + 2])
    redis.call('HINCRBY', KEYS[i], string.format('%.0f', math.floor(now / bucket) * bucket), ARGV[arg])
    redis.call('PEXPIRE', KEYS[i], string.format('%.0f', period + bucket))
    prune_and_sum(KEYS[i], bucket, period, now)
    arg = arg + 3
  end
end
local hash = KEYS[totals + windows + 1]
for _ = 1, maxima do
  local current = tonumber(redis.call('HGET', hash, ARGV[arg]))
  if not current or tonumber(ARGV[arg + 1]) > current then redis.call('HSET', hash, ARGV[arg], ARGV[arg + 1]) end
  arg = arg + 2
end
return 1
`);

/** Most marks kept in memory per store (the oldest are read again when needed). */
const MARKS_KEPT = 10_000;

/**
 * {@link MeterRepository} in Redis: windows are `{p}meter:win:<key>` hashes (bucket
 * start → amount, server clock, TTL of one period); totals are `{p}meter:total:<key>`
 * counters (with a TTL when asked); maxima and marks are fields of the durable hashes
 * `{p}meter:max` and `{p}meter:marks`.
 */
export class RedisMeters implements MeterRepository {
  /** Marks read so far (see {@link RedisMeters.markOnce}), oldest first. */
  private readonly marks = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
  ) {}

  private name(part: string): string {
    return `${this.keyspace.prefix}meter:${part}`;
  }

  async addToWindow(key: string, amount: number, bucketMs: number, periodMs: number): Promise<number> {
    assertInteger('window amount', amount);
    return Number(await ADD.run(this.redis, [this.name(`win:${key}`)], [amount, bucketMs, periodMs]));
  }

  async readWindow(key: string, bucketMs: number, periodMs: number): Promise<{ now: number; buckets: WindowBucket[] }> {
    const flat = (await READ.run(this.redis, [this.name(`win:${key}`)], [bucketMs, periodMs])) as string[];
    const buckets: [number, number][] = [];
    for (let i = 1; i + 1 < flat.length; i += 2) buckets.push([Number(flat[i]), Number(flat[i + 1])]);
    buckets.sort((a, b) => a[0] - b[0]);
    return { now: Number(flat[0]), buckets };
  }

  async addTotal(key: string, amount: number, retainMs?: number): Promise<number> {
    assertInteger('total amount', amount);
    const name = this.name(`total:${key}`);
    if (retainMs === undefined) return Number(await this.redis.incrby(name, amount));
    assertInteger('total retention', retainMs, 1);
    return Number(await ADD_RETAINED.run(this.redis, [name], [amount, retainMs]));
  }

  async getTotals(keys: readonly string[]): Promise<number[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys.map((key) => this.name(`total:${key}`)));
    return values.map((value) => (value === null ? 0 : Number(value)));
  }

  async raiseMax(key: string, value: number): Promise<number> {
    assertInteger('maximum', value);
    return Number(await RAISE.run(this.redis, [this.name('max')], [key, value]));
  }

  async getMax(key: string): Promise<number> {
    const value = await this.redis.hget(this.name('max'), key);
    return value === null ? 0 : Number(value);
  }

  async charge(charges: MeterCharges): Promise<void> {
    const { totals = [], windows = [], maxima = [] } = charges;
    if (totals.length + windows.length + maxima.length === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [totals.length, windows.length, maxima.length];
    for (const { key, amount, retainMs } of totals) {
      assertInteger('total amount', amount);
      if (retainMs !== undefined) assertInteger('total retention', retainMs, 1);
      keys.push(this.name(`total:${key}`));
      args.push(amount, retainMs ?? '');
    }
    for (const { key, amount, bucketMs, periodMs } of windows) {
      assertInteger('window amount', amount);
      keys.push(this.name(`win:${key}`));
      args.push(amount, bucketMs, periodMs);
    }
    if (maxima.length > 0) keys.push(this.name('max'));
    for (const { key, value } of maxima) {
      assertInteger('maximum', value);
      args.push(key, value);
    }
    await CHARGE.run(this.redis, keys, args);
  }

  async markOnce(key: string, value: number): Promise<number> {
    assertInteger('mark', value);
    // A mark is written once and never changed (a key's first use, checked on every
    // request of a key that expires after it): once read, it is answered from memory.
    const known = this.marks.get(key);
    if (known !== undefined) return known;
    await this.redis.hsetnx(this.name('marks'), key, String(value));
    const kept = Number(await this.redis.hget(this.name('marks'), key));
    if (this.marks.size >= MARKS_KEPT) this.marks.delete(this.marks.keys().next().value!);
    this.marks.set(key, kept);
    return kept;
  }

  async getMark(key: string): Promise<number | undefined> {
    const value = await this.redis.hget(this.name('marks'), key);
    return value === null ? undefined : Number(value);
  }
}
