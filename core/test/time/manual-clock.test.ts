import { expect } from 'chai';
import { ManualClock } from '@switchyard/core/testing';
import { systemClock } from '../../src/time/clock.js';
import { PendingWrites } from '../../src/app/pending-writes.js';

describe('ManualClock', () => {
  it('stands still until advanced, then moves by exactly the amount', async () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).to.equal(1_000);
    await clock.advance(250);
    expect(clock.now()).to.equal(1_250);
    await clock.advance(0);
    expect(clock.now()).to.equal(1_250);
  });

  it('fires due timers in order, each at its own time, and not the others', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push(`b@${clock.now()}`), 200);
    clock.setTimeout(() => fired.push(`a@${clock.now()}`), 100);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 300);
    await clock.advance(250);
    expect(fired).to.deep.equal(['a@100', 'b@200']);
    expect(clock.now()).to.equal(250);
    expect(clock.pending).to.equal(1);
  });

  it('repeats intervals until cleared, and never fires a cleared timer', async () => {
    const clock = new ManualClock(0);
    const ticks: number[] = [];
    const interval = clock.setInterval(() => ticks.push(clock.now()), 100);
    const cancelled = clock.setTimeout(() => ticks.push(-1), 150);
    cancelled.clear();
    await clock.advance(350);
    expect(ticks).to.deep.equal([100, 200, 300]);
    interval.clear();
    await clock.advance(1_000);
    expect(ticks).to.deep.equal([100, 200, 300]);
    expect(clock.pending).to.equal(0);
  });

  it('fires a timer scheduled by a timer when it falls within the same advance', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    clock.setTimeout(() => {
      fired.push(clock.now());
      clock.setTimeout(() => fired.push(clock.now()), 50);
    }, 100);
    await clock.advance(200);
    expect(fired).to.deep.equal([100, 150]);
  });

  it('lets the promise jobs a timer starts run before the advance resolves', async () => {
    const clock = new ManualClock(0);
    let done = false;
    clock.setTimeout(() => void Promise.resolve().then(() => Promise.resolve().then(() => (done = true))), 10);
    await clock.advance(10);
    expect(done).to.equal(true);
  });

  it('refuses to move backwards', async () => {
    let error: unknown;
    await new ManualClock(0).advance(-1).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(RangeError);
  });
});

describe('systemClock', () => {
  it('reads Date.now() and fires real timers', async () => {
    const before = Date.now();
    expect(systemClock.now()).to.be.within(before, Date.now());
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 1));
  });
});

describe('PendingWrites', () => {
  it('resolves settled() only once every tracked write, including later ones, is done, whatever their outcome', async () => {
    const pending = new PendingWrites();
    let finish!: () => void;
    let fail!: (error: Error) => void;
    const first = pending.track(new Promise<void>((resolve) => (finish = resolve)));
    const failing = pending.track(new Promise<void>((_, reject) => (fail = reject)));
    failing.catch(() => undefined);
    let settled = false;
    const waiting = pending.settled().then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).to.equal(false);
    expect(pending.size).to.equal(2);
    finish();
    await first;
    fail(new Error('refused'));
    await waiting;
    expect(settled).to.equal(true);
    expect(pending.size).to.equal(0);
  });
});
