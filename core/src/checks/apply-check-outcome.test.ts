import { expect } from 'chai';
import { createEmbeddedStore } from '../store/embedded/create-embedded-store.js';
import type { Store } from '../store/types.js';
import { configSchema } from '../config/schema.js';
import { AccountControl } from '../scheduler/account-control.js';
import { ManualClock } from '../testing/manual-clock.js';
import { applyCheckOutcome, CHECK_COOLDOWN_KIND } from './apply-check-outcome.js';

describe('applyCheckOutcome', () => {
  let store: Store;
  let clock: ManualClock;
  let control: AccountControl;
  const deps = () => ({ control, store, clock });
  const cooldown = { onFailure: 'cooldown' as const, cooldownMinutes: 10 };
  const pause = { onFailure: 'pause' as const, cooldownMinutes: 10 };
  const state = async () => (await store.accountState.getMany(['a'])).get('a');

  beforeEach(async () => {
    clock = new ManualClock();
    store = await createEmbeddedStore({ path: ':memory:', clock });
    control = new AccountControl({ store, config: configSchema.parse({}), clock, cacheMs: 0 });
  });
  afterEach(() => store.close());

  it('only records a failure with onFailure none', async () => {
    expect(
      await applyCheckOutcome(deps(), 'a', { ok: false, message: 'x' }, { onFailure: 'none', cooldownMinutes: 10 }),
    ).to.equal(undefined);
    expect(await state()).to.equal(undefined);
    expect((await control.get('a')).paused).to.equal(undefined);
  });

  it('does not shorten a longer cooldown real traffic set, nor clear it when a check passes', async () => {
    const until = clock.now() + 60 * 60_000;
    await store.accountState.setCooldown('a', until, 'quota_exhausted', 'window used up');
    expect(await applyCheckOutcome(deps(), 'a', { ok: false, message: 'x' }, cooldown)).to.equal(undefined);
    expect(await state()).to.deep.include({ coolingDownUntil: until, cooldownKind: 'quota_exhausted' });
    expect(await applyCheckOutcome(deps(), 'a', { ok: true }, cooldown)).to.equal(undefined);
    expect(await state()).to.deep.include({ coolingDownUntil: until, cooldownKind: 'quota_exhausted' });
  });

  it('replaces a shorter cooldown with its own, and clears only its own', async () => {
    await store.accountState.setCooldown('a', clock.now() + 60_000, 'rate_limited', 'slow down');
    expect(await applyCheckOutcome(deps(), 'a', { ok: false, message: 'down' }, cooldown)).to.equal('cooled-down');
    expect(await state()).to.deep.include({ coolingDownUntil: clock.now() + 600_000, cooldownKind: CHECK_COOLDOWN_KIND });
    expect((await state())?.lastError).to.deep.include({ kind: CHECK_COOLDOWN_KIND, message: 'check failed: down' });
    expect(await applyCheckOutcome(deps(), 'a', { ok: true }, cooldown)).to.equal('cooldown-cleared');
    expect((await state())?.coolingDownUntil).to.equal(undefined);
  });

  it('leaves an account paused by an upstream as it is, failing or passing', async () => {
    await control.pause('a', 'upstream: account banned');
    expect(await applyCheckOutcome(deps(), 'a', { ok: false }, pause)).to.equal(undefined);
    expect((await control.get('a')).paused).to.deep.include({ reason: 'upstream: account banned' });
    expect(await applyCheckOutcome(deps(), 'a', { ok: true }, pause)).to.equal(undefined);
    expect((await control.get('a')).paused?.by).to.equal(undefined);
  });

  it('resumes an account it paused, even after the policy changed to none', async () => {
    expect(await applyCheckOutcome(deps(), 'a', { ok: false, message: '503' }, pause)).to.equal('paused');
    expect((await control.get('a')).paused).to.deep.include({ by: 'check', reason: 'check failed: 503' });
    expect(await applyCheckOutcome(deps(), 'a', { ok: true }, { onFailure: 'none', cooldownMinutes: 10 })).to.equal('resumed');
    expect((await control.get('a')).paused).to.equal(undefined);
  });
});
