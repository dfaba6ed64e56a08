/** Conformance tests of the durable entity repositories: keys, accounts, groups, users. */
import { expect } from 'chai';
import type { UserRecord } from '../../../src/store/types.js';
import { accountRecord, keyRecord, rejectsWith, type StoreAccess } from './fixtures.js';

export function describeEntityTests(store: StoreAccess): void {
  describe('keys', () => {
    it('creates, gets and finds by hash, keeping every field', async () => {
      const record = keyRecord('k1', { description: 'd', owner: 'ann', expiresAt: '2030-01-01T00:00:00.000Z' });
      await store().keys.create(record);
      expect(await store().keys.get('k1')).to.deep.equal(record);
      expect(await store().keys.findByHash('hash-k1')).to.deep.equal(record);
      expect(await store().keys.get('nope')).to.equal(undefined);
      expect(await store().keys.findByHash('nope')).to.equal(undefined);
    });

    it('refuses a duplicate id or hash with StoreConflictError and writes nothing', async () => {
      await store().keys.create(keyRecord('k1'));
      await rejectsWith(store().keys.create(keyRecord('k1', { hash: 'other' })), 'StoreConflictError');
      await rejectsWith(store().keys.create(keyRecord('k2', { hash: 'hash-k1' })), 'StoreConflictError');
      expect(await store().keys.get('k2')).to.equal(undefined);
      expect(await store().keys.findByHash('other')).to.equal(undefined);
      expect((await store().keys.findByHash('hash-k1'))?.id).to.equal('k1');
      expect(await store().keys.list()).to.have.length(1);
    });

    it('lists oldest first', async () => {
      await store().keys.create(keyRecord('b', { createdAt: '2025-01-02T00:00:00.000Z' }));
      await store().keys.create(keyRecord('c', { createdAt: '2025-01-01T00:00:00.000Z' }));
      await store().keys.create(keyRecord('a', { createdAt: '2025-01-02T00:00:00.000Z' }));
      expect((await store().keys.list()).map((k) => k.id)).to.deep.equal(['c', 'a', 'b']);
    });

    it('updates by patch, removes fields set to undefined, and keeps the id', async () => {
      await store().keys.create(keyRecord('k1', { owner: 'ann' }));
      const patch = { name: 'renamed', owner: undefined, enabled: false, lastUsedAt: '2025-02-01T00:00:00.000Z' };
      const updated = await store().keys.update('k1', patch);
      expect(updated).to.deep.equal({
        ...keyRecord('k1'),
        name: 'renamed',
        enabled: false,
        lastUsedAt: '2025-02-01T00:00:00.000Z',
      });
      expect(updated).not.to.have.property('owner');
      expect(await store().keys.get('k1')).to.deep.equal(updated);
      expect(await store().keys.update('k1', { id: 'other' } as never)).to.have.property('id', 'k1');
      expect(await store().keys.update('missing', { name: 'x' })).to.equal(undefined);
    });

    it('moves the hash index on a hash update and refuses a taken hash', async () => {
      await store().keys.create(keyRecord('k1'));
      await store().keys.create(keyRecord('k2'));
      await store().keys.update('k1', { hash: 'rotated' });
      expect((await store().keys.findByHash('rotated'))?.id).to.equal('k1');
      expect(await store().keys.findByHash('hash-k1')).to.equal(undefined);
      await rejectsWith(store().keys.update('k1', { hash: 'hash-k2' }), 'StoreConflictError');
      expect((await store().keys.get('k1'))?.hash).to.equal('rotated');
      expect((await store().keys.findByHash('hash-k2'))?.id).to.equal('k2');
    });

    it('deletes, freeing the id and the hash', async () => {
      await store().keys.create(keyRecord('k1'));
      expect(await store().keys.delete('k1')).to.equal(true);
      expect(await store().keys.delete('k1')).to.equal(false);
      expect(await store().keys.get('k1')).to.equal(undefined);
      expect(await store().keys.findByHash('hash-k1')).to.equal(undefined);
      await store().keys.create(keyRecord('k1'));
      expect(await store().keys.list()).to.have.length(1);
    });
  });

  describe('accounts', () => {
    it('creates, gets, lists, updates and deletes', async () => {
      const a = accountRecord('a1', { proxy: 'enc-proxy', maxConcurrency: 3 });
      await store().accounts.create(a);
      await store().accounts.create(accountRecord('a0', { createdAt: '2024-12-31T00:00:00.000Z' }));
      expect(await store().accounts.get('a1')).to.deep.equal(a);
      expect((await store().accounts.list()).map((x) => x.id)).to.deep.equal(['a0', 'a1']);
      const updated = await store().accounts.update('a1', { priority: 1, proxy: undefined, groups: [] });
      expect(updated).to.deep.equal({ ...accountRecord('a1', { maxConcurrency: 3 }), priority: 1, groups: [] });
      expect(await store().accounts.get('a1')).to.deep.equal(updated);
      expect(await store().accounts.update('zz', { priority: 1 })).to.equal(undefined);
      expect(await store().accounts.delete('a1')).to.equal(true);
      expect(await store().accounts.delete('a1')).to.equal(false);
      expect(await store().accounts.get('a1')).to.equal(undefined);
    });

    it('refuses a duplicate id', async () => {
      await store().accounts.create(accountRecord('a1'));
      await rejectsWith(store().accounts.create(accountRecord('a1', { name: 'other' })), 'StoreConflictError');
      expect((await store().accounts.get('a1'))?.name).to.equal('account a1');
    });
  });

  describe('groups', () => {
    it('puts (create or replace), gets, lists and deletes', async () => {
      const g = {
        id: 'g1',
        name: 'One',
        source: 'admin' as const,
        createdAt: '2025-01-02T00:00:00.000Z',
        updatedAt: '2025-01-02T00:00:00.000Z',
      };
      await store().groups.put(g);
      await store().groups.put({ ...g, id: 'g0', createdAt: '2025-01-01T00:00:00.000Z' });
      expect(await store().groups.get('g1')).to.deep.equal(g);
      await store().groups.put({ ...g, name: 'Renamed', description: 'd' });
      expect(await store().groups.get('g1')).to.deep.equal({ ...g, name: 'Renamed', description: 'd' });
      expect((await store().groups.list()).map((x) => x.id)).to.deep.equal(['g0', 'g1']);
      expect(await store().groups.delete('g1')).to.equal(true);
      expect(await store().groups.delete('g1')).to.equal(false);
      expect(await store().groups.get('g1')).to.equal(undefined);
    });
  });

  describe('users', () => {
    it('puts, gets, lists by username and deletes', async () => {
      const admin: UserRecord = {
        username: 'root',
        role: 'admin',
        source: 'local',
        enabled: true,
        passwordHash: 'scrypt$1$2$3$s$h',
        createdAt: 't0',
        updatedAt: 't0',
      };
      await store().users.put(admin);
      await store().users.put({ ...admin, username: 'alice' });
      expect(await store().users.get('root')).to.deep.equal(admin);
      await store().users.put({ ...admin, passwordHash: 'new' });
      expect((await store().users.get('root'))?.passwordHash).to.equal('new');
      expect((await store().users.list()).map((a) => a.username)).to.deep.equal(['alice', 'root']);
      expect(await store().users.delete('root')).to.equal(true);
      expect(await store().users.delete('root')).to.equal(false);
      expect(await store().users.get('root')).to.equal(undefined);
    });
  });
}
