import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { createTestGateway, ManualClock, sendRequest, waitFor, type TestGateway } from '@switchyard/core/testing';
import { AccountControl } from '../../src/scheduler/account-control.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

type ErrorBody = { error: { code: string; message: string } };

const account = (id: string, priority: number, url: string, groups: string[] = []) => ({
  id,
  type: 'tick-upstream',
  name: id,
  priority,
  groups,
  credentials: { token: `token-${id}`, baseUrl: url },
});

/** The sticky key the scheduler stores a tick session under. */
const stickyKey = (session: string) => createHash('sha256').update(`tick\n${session}`).digest('hex').slice(0, 40);

for (const store of ['embedded', 'redis'] as const) {
  describe(`scheduler: bindings, controls and sticky sessions through HTTP (${store} store)`, function () {
    this.timeout(60_000);
    let upstream: CountingUpstream;
    let tg: TestGateway;
    let control: AccountControl;
    const clock = new ManualClock();

    before(async () => {
      upstream = await startCountingUpstream();
      tg = await createTestGateway({
        store,
        clock,
        plugins: [tickPlugin],
        accounts: [
          account('a-main', 10, upstream.url),
          account('b-side', 20, upstream.url, ['team-b']),
          account('c-vip', 5, upstream.url),
        ],
        keys: [
          { name: 'open' },
          { name: 'bound-b', limits: { binding: { account: 'b-side' } } },
          { name: 'bound-b-fallback', limits: { binding: { account: 'b-side', fallback: true } } },
          { name: 'group-b', limits: { binding: { group: 'team-b' } } },
          { name: 'vip', limits: { binding: { account: 'c-vip' } } },
        ],
        config: {
          logging: { level: 'warn' },
          scheduling: {
            stickyTtlMs: 3000,
            stickyRenewalThresholdMs: 1000,
            cooldownMaxMs: 120_000,
            accounts: { 'c-vip': { dedicated: true }, 'a-main': { cooldownMs: { upstream_5xx: 1234 } } },
          },
        },
      });
      control = new AccountControl({ store: tg.gateway.store, config: tg.gateway.config, cacheMs: 0 });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });
    beforeEach(async () => {
      upstream.reset();
      for (const id of ['a-main', 'b-side', 'c-vip']) await control.reset(id);
      await settle();
    });

    const send = (key: string, body: Record<string, unknown> = {}) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.keys[key]! }, body: { model: 'tick-1', ...body } });
    const servedBy = () => upstream.tokens.at(-1)!.replace('token-', '');
    /** Lets the gateway's cached account controls (200 ms on its clock) see a change. */
    const settle = () => clock.advance(200);

    it('keeps dedicated accounts for the keys bound to them', async () => {
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
      expect((await send('vip')).status).to.equal(200);
      expect(servedBy()).to.equal('c-vip');
    });

    it('serves a bound key from its account or group only', async () => {
      expect((await send('bound-b')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
      expect((await send('group-b')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
    });

    it('never falls back silently from an unavailable bound account, unless the key allows it', async () => {
      await tg.gateway.store.accountState.setCooldown('b-side', clock.now() + 60_000, 'overloaded', 'test');
      const refused = await send('bound-b');
      expect(refused.status).to.equal(503);
      expect(refused.json<ErrorBody>().error.code).to.equal('no_account_available');
      expect(refused.json<ErrorBody>().error.message).to.contain('bound to account b-side');
      expect(Number(refused.headers['retry-after'])).to.be.within(55, 60);
      expect((await send('bound-b-fallback')).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
    });

    it('pauses, resumes and resets accounts through state in the store', async () => {
      await control.pause('a-main', 'maintenance');
      await settle();
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
      await control.resume('a-main');
      await settle();
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
      await tg.gateway.store.accountState.setCooldown('a-main', clock.now() + 60_000, 'overloaded', 'test');
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
      // Reset through another AccountControl (as another instance would): seen within the
      // 200 ms the scheduler takes an account it saw cooling down to be still cooling down.
      await control.reset('a-main');
      await settle();
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
    });

    it('serves from a cooled-down account again once its cooldown passed on the gateway clock', async () => {
      await tg.gateway.store.accountState.setCooldown('a-main', clock.now() + 60_000, 'overloaded', 'test');
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
      await clock.advance(59_999);
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('b-side', 'still cooling down');
      await clock.advance(1);
      expect((await send('open')).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
    });

    it('uses the per-account cooldown override for an error kind', async () => {
      const before = clock.now();
      expect((await send('open', { status: 500 })).status).to.equal(500); // b-side failed too
      const state = (await tg.gateway.store.accountState.getMany(['a-main'])).get('a-main');
      expect(state?.cooldownKind).to.equal('upstream_5xx');
      expect(state!.coolingDownUntil! - before).to.equal(1234);
    });

    it("caps upstream's retry-after at cooldownMaxMs", async () => {
      const before = clock.now();
      expect((await send('open', { status: 429, retryAfter: '99999' })).status).to.equal(429);
      const state = (await tg.gateway.store.accountState.getMany(['a-main'])).get('a-main');
      expect(state?.cooldownKind).to.equal('rate_limited');
      expect(state!.coolingDownUntil! - before).to.equal(120_000);
    });

    it('keeps a session on its account, renews the binding only below the threshold, and drops it when the account is unavailable', async () => {
      const session = `s-${store}-${Date.now()}`;
      expect((await send('open', { session })).status).to.equal(200);
      expect(servedBy()).to.equal('a-main');
      const first = await waitFor(() => tg.gateway.store.sticky.get(stickyKey(session)), { what: 'the binding' });
      expect(first).to.match(/^a-main\t\d+$/);
      expect((await send('open', { session })).status).to.equal(200);
      expect(await tg.gateway.store.sticky.get(stickyKey(session))).to.equal(first, 'not renewed above the threshold');
      await clock.advance(2001); // less than the 1000 ms threshold left of the 3000 ms TTL
      expect((await send('open', { session })).status).to.equal(200);
      // The relay binds after answering, off the response path: wait for the renewal.
      const renewed = await waitFor(
        async () => {
          const value = await tg.gateway.store.sticky.get(stickyKey(session));
          return value !== first ? value : undefined;
        },
        { what: 'the renewed binding' },
      );
      expect(renewed).to.match(/^a-main\t\d+$/);

      await control.pause('a-main');
      await settle();
      expect((await send('open', { session })).status).to.equal(200);
      expect(servedBy()).to.equal('b-side');
      await waitFor(async () => (await tg.gateway.store.sticky.get(stickyKey(session)))?.startsWith('b-side\t'));
      await control.resume('a-main');
      await settle();
      expect((await send('open', { session })).status).to.equal(200);
      expect(servedBy()).to.equal('b-side', 'the session moved with its binding');
    });
  });
}

describe('scheduler: weighted strategy', function () {
  this.timeout(30_000);
  it('prefers the heavier account among equal priorities', async () => {
    const upstream = await startCountingUpstream();
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [account('light', 50, upstream.url), account('heavy', 50, upstream.url), account('backup', 90, upstream.url)],
      config: {
        logging: { level: 'warn' },
        scheduling: { strategy: 'weighted', accounts: { light: { weight: 1 }, heavy: { weight: 1000 } } },
      },
    });
    try {
      for (let i = 0; i < 20; i++) {
        const res = await sendRequest(`${tg.url}/tick/v1/ticks`, { headers: { 'x-api-key': tg.key }, body: { model: 'tick-1' } });
        expect(res.status).to.equal(200);
      }
      const heavy = upstream.tokens.filter((token) => token === 'token-heavy').length;
      expect(heavy).to.be.at.least(18);
      expect(upstream.tokens).to.not.include('token-backup');
    } finally {
      await tg.close();
      await upstream.close();
    }
  });
});
