/** A Lua script run by SHA (EVALSHA), loaded on first use or after a server restart. */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Wraps one Lua script: `run` tries EVALSHA and falls back to EVAL when the server does
 * not have the script cached (NOSCRIPT), which also loads it for next time.
 *
 * @example
 * ```ts
 * const incr = new RedisScript(`return redis.call('INCRBY', KEYS[1], ARGV[1])`);
 * const n = await incr.run(redis, ['counter'], [1]);
 * ```
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}

/**
 * Lua prelude: `now_ms()` reads the Redis server clock, so every gateway instance
 * agrees on lease expiry whatever its own clock says.
 */
export const LUA_NOW_MS = `
if redis.replicate_commands then redis.replicate_commands() end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;
