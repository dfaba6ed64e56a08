/** Live account state (cooldowns, last use, last error) in Redis. */
import { systemClock, type Clock } from '../../time/clock.js';
import type { ChainableCommander, Redis } from 'ioredis';
import {
  MAX_RECENT_ACCOUNT_ERRORS,
  accountLeaseScope,
  type AccountErrorEntry,
  type AccountState,
  type AccountStateRepository,
} from '../types.js';
import {
  ACCOUNT_STATE_RETENTION_MS,
  MAX_ERROR_MESSAGE_LENGTH,
  assertInteger,
  assertTtlMs,
  decodeJson,
  encodeJson,
} from '../records.js';
import type { RedisKeyspace } from './redis-keyspace.js';
import { RedisScript } from './redis-script.js';
import { LUA_LEASE_HELPERS } from './redis-leases.js';

// Lua: lastUsedAt of state hash `key` only moves forward.
const LUA_MARK_USED = `
local function mark_used(key, at, retention)
  local current = tonumber(redis.call('HGET', key, 'lastUsedAt'))
  if not current or tonumber(at) > current then redis.call('HSET', key, 'lastUsedAt', at) end
  redis.call('PEXPIRE', key, retention)
end
`;

// KEYS: state hash. ARGV: atMs, retentionMs.
const MARK_USED = new RedisScript(`${LUA_MARK_USED}
mark_used(KEYS[1], ARGV[1], ARGV[2])
return 1
`);

// KEYS: the account's lease zset, its state hash. ARGV: holder, limit, ttlMs, atMs,
// retentionMs. The lease as RedisLeases.acquire takes it, then the mark when taken.
const TAKE_SLOT = new RedisScript(`${LUA_LEASE_HELPERS}${LUA_MARK_USED}
if acquire(KEYS[1], ARGV[1], ARGV[2], ARGV[3], now_ms()) == 0 then return 0 end
mark_used(KEYS[2], ARGV[4], ARGV[5])
return 1
`);

interface StoredCooldown {
  until: number;
  kind: string;
}

/**
 * {@link AccountStateRepository} in Redis. `{p}account-state:<id>` is a hash
 * (`lastUsedAt`, `lastErrorAt`, `lastErrorKind`, `lastErrorMessage`) whose TTL of
 * {@link ACCOUNT_STATE_RETENTION_MS} is refreshed on every write;
 * `{p}account-cooldown:<id>` holds the live cooldown (`{until, kind}`) and expires with
 * it (PX); `{p}account-errors:<id>` is a list of the latest errors (newest first,
 * trimmed, with the state's TTL). `getMany` only has entries for accounts with some state; `markUsed` never
 * moves `lastUsedAt` backwards.
 */
export class RedisAccountState implements AccountStateRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: RedisKeyspace,
    private readonly clock: Clock = systemClock,
  ) {}

  async getMany(ids: readonly string[]): Promise<Map<string, AccountState>> {
    const out = new Map<string, AccountState>();
    if (ids.length === 0) return out;
    // Sent in one tick, autopipelined: one round trip with whatever else the caller sends
    // in the same tick (the scheduler's sticky-binding read).
    const replies = await Promise.all(
      ids.map((id) =>
        Promise.all([this.redis.hgetall(this.keyspace.accountState(id)), this.redis.get(this.keyspace.accountCooldown(id))]),
      ),
    );
    const now = this.clock.now();
    ids.forEach((id, i) => {
      const [hash, cooldown] = replies[i]!;
      const state = toState(hash, cooldown, now);
      if (Object.keys(state).length > 0) out.set(id, state);
    });
    return out;
  }

  async setCooldown(id: string, untilMs: number, kind: string, message: string): Promise<void> {
    const now = this.clock.now();
    const stateKey = this.keyspace.accountState(id);
    const cooldownKey = this.keyspace.accountCooldown(id);
    const tx = this.redis
      .multi()
      .hset(stateKey, {
        lastErrorAt: String(now),
        lastErrorKind: kind,
        lastErrorMessage: message.slice(0, MAX_ERROR_MESSAGE_LENGTH),
      })
      .pexpire(stateKey, ACCOUNT_STATE_RETENTION_MS);
    const errorsKey = this.keyspace.accountErrors(id);
    const entry: AccountErrorEntry = { at: now, kind, message: message.slice(0, MAX_ERROR_MESSAGE_LENGTH) };
    tx.lpush(errorsKey, encodeJson(entry))
      .ltrim(errorsKey, 0, MAX_RECENT_ACCOUNT_ERRORS - 1)
      .pexpire(errorsKey, ACCOUNT_STATE_RETENTION_MS);
    const remaining = Math.ceil(untilMs - now);
    if (remaining > 0) tx.set(cooldownKey, encodeJson({ until: untilMs, kind } satisfies StoredCooldown), 'PX', remaining);
    else tx.del(cooldownKey);
    this.bumpCooldownsVersion(tx);
    await execOrThrow(tx.exec());
  }

  async clearCooldown(id: string): Promise<void> {
    const tx = this.redis.multi().del(this.keyspace.accountCooldown(id));
    this.bumpCooldownsVersion(tx);
    await execOrThrow(tx.exec());
  }

  async cooldownsVersion(): Promise<string> {
    return (await this.redis.get(this.keyspace.accountCooldownsVersion())) ?? '0';
  }

  /** Adds to `tx` the bump of the cooldowns' version (kept as long as account state; gone, it reads as a change). */
  private bumpCooldownsVersion(tx: ChainableCommander): void {
    const key = this.keyspace.accountCooldownsVersion();
    tx.incr(key).pexpire(key, ACCOUNT_STATE_RETENTION_MS);
  }

  async recentErrors(ids: readonly string[]): Promise<Map<string, AccountErrorEntry[]>> {
    const out = new Map<string, AccountErrorEntry[]>();
    if (ids.length === 0) return out;
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.lrange(this.keyspace.accountErrors(id), 0, MAX_RECENT_ACCOUNT_ERRORS - 1);
    const replies = (await pipeline.exec()) ?? [];
    ids.forEach((id, i) => {
      const [error, list] = replies[i] ?? [];
      if (error) throw error;
      const entries = (list as string[] | null) ?? [];
      if (entries.length)
        out.set(
          id,
          entries.map((json) => decodeJson<AccountErrorEntry>(json)),
        );
    });
    return out;
  }

  async markUsed(id: string, atMs: number): Promise<void> {
    await MARK_USED.run(this.redis, [this.keyspace.accountState(id)], [Math.floor(atMs), ACCOUNT_STATE_RETENTION_MS]);
  }

  async takeSlot(id: string, holder: string, limit: number, ttlMs: number, atMs: number): Promise<boolean> {
    assertInteger('lease limit', limit, 0);
    assertTtlMs(ttlMs);
    const keys = [this.keyspace.lease(accountLeaseScope(id)), this.keyspace.accountState(id)];
    return (await TAKE_SLOT.run(this.redis, keys, [holder, limit, ttlMs, Math.floor(atMs), ACCOUNT_STATE_RETENTION_MS])) === 1;
  }
}

function toState(hash: Record<string, string>, cooldownJson: string | null, now: number): AccountState {
  const state: AccountState = {};
  if (cooldownJson !== null) {
    const cooldown = decodeJson<StoredCooldown>(cooldownJson);
    if (cooldown.until > now) {
      state.coolingDownUntil = cooldown.until;
      state.cooldownKind = cooldown.kind;
    }
  }
  if (hash.lastUsedAt !== undefined) state.lastUsedAt = Number(hash.lastUsedAt);
  if (hash.lastErrorAt !== undefined) {
    state.lastError = { at: Number(hash.lastErrorAt), kind: hash.lastErrorKind ?? '', message: hash.lastErrorMessage ?? '' };
  }
  return state;
}

async function execOrThrow(result: Promise<[Error | null, unknown][] | null>): Promise<void> {
  for (const [err] of (await result) ?? []) if (err) throw err;
}
