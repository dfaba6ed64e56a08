import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store } from '../../src/store/types.js';
import { KeyService } from '../../src/keys/key-service.js';
import { KeyInputError } from '../../src/keys/key-input-error.js';
import { keyStatus } from '../../src/keys/key-status.js';
import { PendingWrites } from '../../src/app/pending-writes.js';

describe('KeyService', () => {
  let store: Store;
  let keys: KeyService;
  const secrets = { keyHashKey: randomBytes(32) };

  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
    keys = new KeyService({ store, secrets, keyPrefix: 'sy_' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('creates a generated key, stores only its hash, and authenticates it', async () => {
    const { record, plaintext } = await keys.create({ name: 'alice', tags: ['team-a'], source: 'admin' });
    expect(record.id).to.match(/^key_[a-z2-7]{12}$/);
    expect(plaintext).to.match(/^sy_[0-9a-f]{64}$/);
    expect(record.hint).to.equal(`sy_${plaintext.slice(3, 7)}…${plaintext.slice(-4)}`);
    const stored = await store.keys.get(record.id);
    expect(JSON.stringify(stored)).not.to.include(plaintext.slice(3));
    expect((await keys.authenticate(plaintext))?.id).to.equal(record.id);
    expect(await keys.authenticate(`${plaintext}x`)).to.equal(undefined);
    expect(await keys.authenticate('short')).to.equal(undefined);
    expect(await keys.authenticate('x'.repeat(513))).to.equal(undefined);
  });

  it('accepts declared keys of at least 20 characters only', async () => {
    let error: unknown;
    await keys.create({ name: 'short', source: 'config', plaintext: 'too-short-key' }).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(KeyInputError);
    expect((error as KeyInputError).problems.join()).to.include('at least 20');
    expect((error as Error).message).not.to.include('too-short-key');
    const declared = 'declared-key-0123456789';
    const { record, plaintext } = await keys.create({ name: 'ci', source: 'config', plaintext: declared });
    expect(plaintext).to.equal(declared);
    expect((await keys.authenticate(declared))?.id).to.equal(record.id);
  });

  it('validates names, limits and expiry', async () => {
    let error: unknown;
    await keys
      .create({ name: ' ', source: 'admin', expiresAt: 'tomorrow', limits: [] as never })
      .catch((e: unknown) => (error = e));
    expect((error as KeyInputError).problems).to.have.length(3);
  });

  it('revokes keys and forgets cached lookups', async () => {
    const { record, plaintext } = await keys.create({ name: 'bob', source: 'cli' });
    expect(await keys.authenticate(plaintext)).not.to.equal(undefined);
    expect(await keys.revoke(record.id)).to.equal(true);
    expect(await keys.authenticate(plaintext)).to.equal(undefined);
    expect(await keys.revoke(record.id)).to.equal(false);
  });

  it('serves repeated lookups from the cache for a few seconds', async () => {
    let now = 1_000_000;
    keys = new KeyService({ store, secrets, keyPrefix: 'sy_', now: () => now });
    const { plaintext } = await keys.create({ name: 'cached', source: 'admin' });
    let reads = 0;
    const original = store.keys.findByHash.bind(store.keys);
    store.keys.findByHash = async (hash) => {
      reads++;
      return original(hash);
    };
    await keys.authenticate(plaintext);
    await keys.authenticate(plaintext);
    expect(reads).to.equal(1);
    now += 6_000;
    await keys.authenticate(plaintext);
    expect(reads).to.equal(2);
  });

  it('updates keys, reflecting changes immediately in this process', async () => {
    const { record, plaintext } = await keys.create({ name: 'carol', owner: 'ops', source: 'admin' });
    await keys.authenticate(plaintext);
    await keys.setEnabled(record.id, false);
    const found = await keys.authenticate(plaintext);
    expect(found?.enabled).to.equal(false);
    expect(keyStatus(found!)).to.equal('disabled');
    const updated = await keys.update(record.id, { owner: null, expiresAt: '2000-01-01T00:00:00Z', enabled: true });
    expect(updated?.owner).to.equal(undefined);
    expect(keyStatus(updated!)).to.equal('expired');
    const rotated = 'rotated-declared-key-000';
    await keys.update(record.id, { plaintext: rotated });
    expect(await keys.authenticate(plaintext)).to.equal(undefined);
    expect((await keys.authenticate(rotated))?.id).to.equal(record.id);
    expect(await keys.update('key_missing', { name: 'x' })).to.equal(undefined);
  });

  it('touches lastUsedAt at most once a minute per key', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const pending = new PendingWrites();
    keys = new KeyService({ store, secrets, keyPrefix: 'sy_', now: () => now, pending });
    const { record } = await keys.create({ name: 'dave', source: 'admin' });
    let writes = 0;
    const original = store.keys.update.bind(store.keys);
    store.keys.update = async (id, patch) => {
      writes++;
      return original(id, patch);
    };
    keys.touch(record.id);
    keys.touch(record.id);
    now += 30_000;
    keys.touch(record.id);
    await pending.settled();
    expect(writes).to.equal(1);
    expect((await store.keys.get(record.id))?.lastUsedAt).to.equal('2026-01-01T00:00:00.000Z');
    now += 31_000;
    keys.touch(record.id);
    expect(pending.size).to.equal(1, 'the write is tracked');
    await pending.settled();
    expect(writes).to.equal(2);
  });
});
