import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import { openSqliteDatabase } from '../../src/store/embedded/sqlite-database.js';
import { SQLITE_MIGRATIONS } from '../../src/store/embedded/sqlite-migrations.js';
import { createRedisStore } from '../../src/store/redis/create-redis-store.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';

const ADMIN = { username: 'root', passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==', createdAt: 't0', updatedAt: 't1' };
const MIGRATED = { ...ADMIN, role: 'admin', source: 'local', enabled: true };

describe('schema version 4: the admins of older data become users of role admin', () => {
  it('embedded store: the admins table becomes the users table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sy-users-migration-'));
    try {
      const old = openSqliteDatabase(dir, SQLITE_MIGRATIONS.slice(0, 3));
      old.prepare('INSERT INTO admins (username, data) VALUES (?, ?)').run(ADMIN.username, JSON.stringify(ADMIN));
      old.close();
      const store = await createEmbeddedStore({ path: dir });
      try {
        expect(await store.schemaVersion()).to.equal(7);
        expect(await store.users.list()).to.deep.equal([MIGRATED]);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('redis store', () => {
    let redis: TestRedis;
    before(async () => {
      redis = await startRedisForTests();
    });
    after(async () => redis?.stop());

    it('{p}admins is copied into {p}users and removed; a re-run keeps users changed since', async () => {
      const raw = new Redis(redis.url);
      try {
        const p = redis.prefix;
        await raw.set(`${p}meta:schema_version`, '3');
        await raw.hset(`${p}admins`, ADMIN.username, JSON.stringify(ADMIN), 'ann', JSON.stringify({ ...ADMIN, username: 'ann' }));
        // As if a first run had died after migrating ann, who was then changed:
        await raw.hset(`${p}users`, 'ann', JSON.stringify({ ...MIGRATED, username: 'ann', role: 'user' }));
        const store = await createRedisStore({ url: redis.url, prefix: p });
        try {
          expect(await store.schemaVersion()).to.equal(7);
          expect(await store.users.get('root')).to.deep.equal(MIGRATED);
          expect((await store.users.get('ann'))?.role).to.equal('user');
          expect(await raw.exists(`${p}admins`)).to.equal(0);
        } finally {
          await store.close();
        }
      } finally {
        raw.disconnect();
      }
    });
  });
});
