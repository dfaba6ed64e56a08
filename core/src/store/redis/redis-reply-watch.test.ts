import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { createLogger } from '../../logging/create-logger.js';
import { startRedisForTests, type TestRedis } from '../../testing/redis-server.js';
import { waitFor } from '../../testing/wait-for.js';
import { isStoreUnavailable } from '../store-unavailable-error.js';
import { connectRedis } from './redis-connect.js';

const REPLY_TIMEOUT_MS = 200;

/** Keeps the server busy (a script runs alone) for `ms`, then answers 1. */
const BUSY_SCRIPT = `
local function micros() local t = redis.call('TIME') return t[1] * 1000000 + t[2] end
local started = micros()
while micros() - started < tonumber(ARGV[1]) * 1000 do end
return 1`;

describe('redis reply watch (a connection that stops answering is replaced)', function () {
  this.timeout(20_000);
  let server: TestRedis;
  let redis: Redis;
  let logs: Record<string, unknown>[];
  const warnings = () => logs.filter((line) => line['level'] === 'warn');

  before(async () => {
    server = await startRedisForTests();
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    logs = [];
    redis = await connectRedis(server.url, {
      replyTimeoutMs: REPLY_TIMEOUT_MS,
      log: createLogger({ level: 'debug', sink: (entry) => logs.push(entry) }),
    });
  });
  afterEach(() => {
    redis.disconnect();
  });

  it('fails a command not answered within replyTimeoutMs as store-unavailable, warns once, then works again', async () => {
    const started = Date.now();
    const error = await redis.eval(BUSY_SCRIPT, 0, 4 * REPLY_TIMEOUT_MS).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isStoreUnavailable(error), String(error)).to.equal(true);
    expect(Date.now() - started).to.be.lessThan(3 * REPLY_TIMEOUT_MS);
    expect(warnings().map((line) => line['message'])).to.deep.equal([
      'redis store stopped answering: reconnecting; requests get 503 store_unavailable meanwhile',
    ]);
    await waitFor(async () => (await redis.ping().catch(() => 'refused')) === 'PONG', {
      timeoutMs: 5000,
      intervalMs: 20,
      what: 'PONG again',
    });
    expect(logs.map((line) => line['message'])).to.include('redis store answers again');
  });

  it('does not take a connection busy with many quick commands for a hung one', async () => {
    const until = Date.now() + 4 * REPLY_TIMEOUT_MS;
    let sent = 0;
    // 20 workers keep commands waiting on the connection all the time, so it is never
    // idle; bounded by a wall-clock window and at most 200 000 commands.
    const worker = async (): Promise<void> => {
      while (Date.now() < until && sent < 200_000) {
        sent++;
        await redis.incr(`${server.prefix}busy`);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(sent).to.be.greaterThan(1000);
    expect(warnings()).to.deep.equal([]);
  });

  it('does not take a blocked event loop for a hung server', async () => {
    // A reply that takes most of the timeout, seen waiting by the watch (it looks every 67 ms) ...
    const reply = redis.eval(BUSY_SCRIPT, 0, 0.75 * REPLY_TIMEOUT_MS);
    await new Promise((resolve) => setTimeout(resolve, REPLY_TIMEOUT_MS / 2));
    // ... then the gateway busy long past the timeout in a callback after the poll phase:
    // the reply waits unread in the socket, and timers run before the socket is read.
    await new Promise((resolve) => setImmediate(resolve));
    const until = Date.now() + 3 * REPLY_TIMEOUT_MS;
    while (Date.now() < until) {
      // blocked
    }
    expect(await reply).to.equal(1);
    expect(warnings()).to.deep.equal([]);
  });
});
