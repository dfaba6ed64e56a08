/**
 * The usage recorder against the real embedded store: a record the store refuses never
 * blocks the others, an enricher cannot make a record unstorable, and a store outage
 * keeps a bounded backlog that is written once the store is back.
 */
import { expect } from 'chai';
import type { Logger, UsageRecord } from '@switchyard/plugin-api';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store, UsageRepository } from '../../src/store/types.js';
import { UsageRecorder, type UsageDropReason } from '../../src/usage/usage-recorder.js';
import { usageRecord } from '../store/conformance/fixtures.js';

interface Logged {
  message: string;
  meta: Record<string, unknown> | undefined;
}

function capturingLogger(lines: Logged[]): Logger {
  const log = {
    debug() {},
    info() {},
    warn() {},
    error(message: string, meta?: Record<string, unknown>) {
      lines.push({ message, meta });
    },
    child: () => log,
  };
  return log as unknown as Logger;
}

const AT = Date.parse('2026-01-01T00:00:00Z');

describe('usage recorder', () => {
  let store: Store;
  let logged: Logged[];
  let drops: { count: number; reason: UsageDropReason }[];

  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
    logged = [];
    drops = [];
  });
  afterEach(async () => {
    await store.close();
  });

  const recorder = (
    options: { repository?: UsageRepository; enrichers?: ((r: UsageRecord) => UsageRecord)[]; maxBacklog?: number } = {},
  ) =>
    new UsageRecorder({
      repository: options.repository ?? store.usage,
      enrichers: options.enrichers ?? [],
      sinks: [],
      log: capturingLogger(logged),
      flushIntervalMs: 60_000,
      ...(options.maxBacklog === undefined ? {} : { maxBacklog: options.maxBacklog }),
      onRecordsDropped: (count, reason) => drops.push({ count, reason }),
    });

  it('stores the rest of a batch when the store refuses one record, and drops that one (logged, counted)', async () => {
    const usage = recorder();
    usage.record(usageRecord('u1', AT));
    usage.record(usageRecord('bad', AT + 1, 'k1', { usage: { ...usageRecord('x', AT).usage, raw: { big: 10n } } }));
    usage.record(usageRecord('u2', AT + 2));
    await usage.flush();

    expect((await store.usage.list()).map((r) => r.id).sort()).to.deep.equal(['u1', 'u2']);
    expect(drops).to.deep.equal([{ count: 1, reason: 'invalid' }]);
    expect(logged.find((line) => line.message === 'usage record refused by the store; dropped')?.meta?.['id']).to.equal('bad');

    // Nothing is left to retry: the next batch is stored on its own.
    usage.record(usageRecord('u3', AT + 3));
    await usage.flush();
    expect(await store.usage.count()).to.equal(3);
  });

  it('keeps and retries, never drops, records the store fails with a plain TypeError (a bug, not a refusal)', async () => {
    let broken = true;
    const buggy: UsageRepository = {
      append: (records) =>
        broken
          ? Promise.reject(new TypeError("Cannot read properties of undefined (reading 'id')"))
          : store.usage.append(records),
      storedIds: (ids) => store.usage.storedIds(ids),
      list: (query) => store.usage.list(query),
      count: (query) => store.usage.count(query),
    };
    const usage = recorder({ repository: buggy });
    usage.record(usageRecord('u1', AT));
    usage.record(usageRecord('u2', AT + 1));
    await usage.flush();

    expect(drops).to.deep.equal([]);
    expect(logged.map((line) => line.message)).to.deep.equal(['storing usage failed; will retry']);
    expect(logged[0]?.meta?.['error']).to.be.instanceOf(TypeError);

    broken = false;
    await usage.flush();
    expect((await store.usage.list()).map((r) => r.id).sort()).to.deep.equal(['u1', 'u2']);
  });

  it('keeps the record as it was when an enricher breaks its time, key or id', async () => {
    const usage = recorder({
      enrichers: [
        (record) => ({ ...record, at: 'yesterday' }),
        (record) => ({ ...record, owner: 'enriched' }),
        (record) => ({ ...record, keyId: undefined as unknown as string }),
      ],
    });
    usage.record(usageRecord('u1', AT));
    await usage.flush();

    const [stored] = await store.usage.list();
    expect(stored?.at).to.equal(new Date(AT).toISOString());
    expect(stored?.keyId).to.equal('k1');
    expect(stored?.owner).to.equal('enriched');
    expect(logged.filter((line) => line.message.startsWith('usage enricher returned a record without'))).to.have.length(2);
  });

  it('keeps a bounded backlog while the store fails, drops the oldest beyond it, and writes the rest once the store is back', async () => {
    let down = true;
    const flaky: UsageRepository = {
      append: (records) => (down ? Promise.reject(new Error('connection refused')) : store.usage.append(records)),
      storedIds: (ids) => store.usage.storedIds(ids),
      list: (query) => store.usage.list(query),
      count: (query) => store.usage.count(query),
    };
    const usage = recorder({ repository: flaky, maxBacklog: 5 });
    for (let i = 0; i < 4; i++) usage.record(usageRecord(`a${i}`, AT + i));
    await usage.flush();
    for (let i = 0; i < 4; i++) usage.record(usageRecord(`b${i}`, AT + 10 + i));
    await usage.flush();

    expect(drops).to.deep.equal([{ count: 3, reason: 'overflow' }]);
    expect(
      logged.some((line) => line.message === 'usage backlog full while the store fails; dropped the oldest records'),
    ).to.equal(true);

    down = false;
    await usage.flush();
    expect((await store.usage.list()).map((r) => r.id).sort()).to.deep.equal(['a3', 'b0', 'b1', 'b2', 'b3']);
  });
});
