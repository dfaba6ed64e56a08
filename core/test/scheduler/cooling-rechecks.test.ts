/**
 * Accounts seen cooling down are checked again when their recheck time lapses (issue 22):
 * once per lapse, however many requests plan at that moment, and re-read only when a
 * cooldown was set or cleared since (the store's cooldowns version). Before, every request
 * planning in the read's round trip read every lapsed account again, and every lapse read
 * them all (at scale, with hundreds of rate-limited accounts, most of the Redis commands a
 * request cost). Counted on a real redis-server through MONITOR; the gateway's clock is a
 * ManualClock.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createTestGateway, ManualClock, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { COOLING_RECHECK_MS } from '../../src/scheduler/cooling-accounts.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

const COOLING = 30;
const CONCURRENT = 12;

describe('accounts cooling down are checked once per lapse, and re-read only after a cooldown changed (redis store)', function () {
  this.timeout(60_000);
  const clock = new ManualClock();
  let upstream: CountingUpstream;
  let tg: TestGateway;
  let probe: Redis;
  /** A MONITOR connection for the whole suite (closed after the gateway, when no command is in flight). */
  let monitor: Redis | undefined;
  /** What {@link stateReads} collects while it runs. */
  let seen: { reads: string[]; marker: string; phase: 'before' | 'counting' | 'ended' } | undefined;

  before(async () => {
    upstream = await startCountingUpstream();
    const account = (id: string, priority: number) => ({
      id,
      type: 'tick-upstream',
      name: id,
      priority,
      credentials: { token: `token-${id}`, baseUrl: upstream.url },
    });
    tg = await createTestGateway({
      store: 'redis',
      clock,
      plugins: [tickPlugin],
      // The cooling ones come first by priority: only their cooldown keeps them from serving.
      accounts: [account('serving', 50), ...Array.from({ length: COOLING }, (_, i) => account(`cool-${i}`, 1))],
      keys: [{ name: 'k' }],
      config: { logging: { level: 'warn' } },
    });
    for (let i = 0; i < COOLING; i++)
      await tg.gateway.store.accountState.setCooldown(`cool-${i}`, clock.now() + 3_600_000, 'rate_limit', 'test');
    probe = new Redis((tg.gateway.config.store as { url: string }).url);
    monitor = await probe.monitor();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (!seen) return;
      const [name, key] = args;
      if (name?.toLowerCase() === 'echo' && key === `${seen.marker}-start`) seen.phase = 'counting';
      if (name?.toLowerCase() === 'echo' && key === `${seen.marker}-end`) seen.phase = 'ended';
      const id = name?.toLowerCase() === 'hgetall' ? /account-state:(.+)$/.exec(key ?? '')?.[1] : undefined;
      if (id !== undefined && seen.phase === 'counting') seen.reads.push(id);
    });
  });
  after(async () => {
    await tg?.close();
    monitor?.disconnect();
    probe?.disconnect();
    await upstream?.close();
  });

  const send = () => sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.keys.k! }, body: { model: 'tick-1' } });

  /** The account ids whose state `run` made the server read (HGETALL of `account-state:<id>`), one entry per read. */
  async function stateReads(run: () => Promise<void>): Promise<string[]> {
    const marker = `reads-${Math.random().toString(36).slice(2)}`;
    const current: NonNullable<typeof seen> = { reads: [], marker, phase: 'before' };
    // What the server runs between the two markers' ECHO (MONITOR lists commands in the order they ran).
    seen = current;
    try {
      await probe.echo(`${marker}-start`);
      await waitFor(() => current.phase === 'counting', { what: 'the MONITOR line of the start marker' });
      await run();
      await probe.echo(`${marker}-end`);
      await waitFor(() => current.phase === 'ended', { what: 'the MONITOR line of the end marker' });
    } finally {
      seen = undefined;
    }
    return current.reads;
  }

  it('one read of the lapsed accounts for several concurrent requests', async () => {
    // The first request reads them all and sees them cooling down.
    expect((await send()).status).to.equal(200);
    await clock.advance(COOLING_RECHECK_MS);

    const reads = await stateReads(async () => {
      const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => send()));
      expect(responses.map((response) => response.status)).to.deep.equal(Array(CONCURRENT).fill(200));
    });

    const coolingReads = reads.filter((id) => id.startsWith('cool-'));
    expect(coolingReads, `${coolingReads.length} reads of cooling accounts`).to.have.length(COOLING);
    expect(new Set(coolingReads).size).to.equal(COOLING);
    // The serving account is still read by every request (its last use orders the choice).
    expect(reads.filter((id) => id === 'serving')).to.have.length(CONCURRENT);
    expect(new Set(upstream.tokens.slice(-CONCURRENT))).to.deep.equal(new Set(['token-serving']));
  });

  it('no read of them before the next lapse, nor after it while no cooldown changed', async () => {
    const concurrently = async () => {
      await Promise.all(Array.from({ length: CONCURRENT }, () => send()));
    };
    const quiet = await stateReads(concurrently);
    expect(quiet.filter((id) => id.startsWith('cool-'))).to.deep.equal([]);

    await clock.advance(COOLING_RECHECK_MS);
    const unchanged = await stateReads(concurrently);
    expect(unchanged.filter((id) => id.startsWith('cool-'))).to.deep.equal([]);
    expect(new Set(upstream.tokens.slice(-CONCURRENT))).to.deep.equal(new Set(['token-serving']));
  });

  it('reads them again once the lapse after a cooldown was cleared elsewhere, and serves from that account', async () => {
    // As another instance's reset would: this gateway is not told.
    await tg.gateway.store.accountState.clearCooldown('cool-0');
    expect((await send()).status).to.equal(200);
    expect(upstream.tokens.at(-1)).to.equal('token-serving');

    await clock.advance(COOLING_RECHECK_MS);
    const reads = await stateReads(async () => {
      const responses = await Promise.all(Array.from({ length: CONCURRENT }, () => send()));
      expect(responses.map((response) => response.status)).to.deep.equal(Array(CONCURRENT).fill(200));
    });
    // The others once; cool-0, cooling no more, as any serving account (by every request).
    const others = reads.filter((id) => id.startsWith('cool-') && id !== 'cool-0');
    expect(others).to.have.length(COOLING - 1);
    expect(new Set(others).size).to.equal(COOLING - 1);
    expect(new Set(upstream.tokens.slice(-CONCURRENT))).to.deep.equal(new Set(['token-cool-0']));
  });
});
