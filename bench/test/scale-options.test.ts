/** The scale options (`--store`, `--keys`, `--accounts`, `--usage-rows`) and the Redis figures per request. */
import { expect } from 'chai';
import { parseOptions } from '../src/options.js';
import { mergeRedisStats, redisPhaseStats } from '../src/bench-redis.js';

describe('bench scale options', () => {
  it('defaults to the one-key, one-account, empty-history baseline on the embedded store', () => {
    const options = parseOptions([]);
    expect(options).to.include({ store: 'embedded', keys: 1, accounts: 1, usageRows: 0, usageDays: 90, adminSamples: 5 });
  });

  it('reads the scale run', () => {
    const options = parseOptions(['--store', 'redis', '--keys', '10000', '--accounts', '1000', '--usage-rows', '5000000']);
    expect(options).to.include({ store: 'redis', keys: 10_000, accounts: 1000, usageRows: 5_000_000 });
  });

  it('refuses what cannot be run', () => {
    expect(() => parseOptions(['--store', 'postgres'])).to.throw(/--store must be one of embedded, redis/);
    expect(() => parseOptions(['--keys', '0'])).to.throw(/--keys must be an integer >= 1/);
    expect(() => parseOptions(['--accounts', '1.5'])).to.throw(/--accounts must be an integer >= 1/);
    expect(() => parseOptions(['--usage-rows=-1'])).to.throw(/--usage-rows must be an integer >= 0/);
  });
});

describe('bench redis figures', () => {
  it('divides the commands, read events and CPU of a phase by its requests, without the bench INFO call', () => {
    const before = { calls: { evalsha: 100, get: 50, info: 3 }, reads: 1000, cpuS: 10 };
    const after = { calls: { evalsha: 400, get: 50, hget: 200, info: 4 }, reads: 1401, cpuS: 10.5 };
    const stats = redisPhaseStats(before, after, 100);
    expect(stats.commandsPerRequest).to.equal(5);
    expect(stats.roundTripsPerRequest).to.equal(4);
    expect(stats.cpuMsPerRequest).to.be.closeTo(5, 1e-9);
    expect(stats.byCommand).to.deep.equal([
      ['evalsha', 3],
      ['hget', 2],
    ]);
  });

  it('weights phases by their requests', () => {
    const merged = mergeRedisStats([
      { stats: { commandsPerRequest: 10, roundTripsPerRequest: 2, cpuMsPerRequest: 1, byCommand: [['get', 10]] }, requests: 300 },
      { stats: { commandsPerRequest: 20, roundTripsPerRequest: 4, cpuMsPerRequest: 3, byCommand: [['get', 20]] }, requests: 100 },
    ]);
    expect(merged).to.deep.include({ commandsPerRequest: 12.5, roundTripsPerRequest: 2.5, cpuMsPerRequest: 1.5 });
    expect(merged?.byCommand).to.deep.equal([['get', 12.5]]);
    expect(mergeRedisStats([])).to.equal(undefined);
  });
});
