import { expect } from 'chai';
import { createStore } from '../../src/store/create-store.js';
import type { Store } from '../../src/store/types.js';
import { AdminSessions, SESSION_KEYS_SETTING } from '../../src/auth/admin-sessions.js';
import { hashPassword } from '../../src/auth/password-hash.js';

describe('AdminSessions (JWT with expiry and rotating secrets)', () => {
  let store: Store;
  let now = Date.parse('2026-01-01T00:00:00Z');
  const key = Buffer.alloc(32, 7);
  const sessions = (ttlMs = 3_600_000, rotateMs = 7_200_000) =>
    new AdminSessions({ store, sessionKey: key, ttlMs, rotateMs, now: () => now });

  beforeEach(async () => {
    store = await createStore({ type: 'embedded', path: ':memory:' }, { baseDir: '.' });
    const at = new Date(now).toISOString();
    const passwordHash = await hashPassword('ann-password');
    await store.users.put({
      username: 'ann',
      role: 'admin',
      source: 'local',
      enabled: true,
      passwordHash,
      createdAt: at,
      updatedAt: at,
    });
  });
  afterEach(async () => store.close());

  it('issues tokens that expire', async () => {
    const issued = await sessions().issue('ann');
    expect(await sessions().verify(issued.token)).to.deep.include({ username: 'ann' });
    now += 3_600_000 + 1000;
    expect(await sessions().verify(issued.token)).to.equal(undefined);
  });

  it('rejects tokens signed with another key or algorithm', async () => {
    const issued = await sessions().issue('ann');
    const other = new AdminSessions({
      store,
      sessionKey: Buffer.alloc(32, 8),
      ttlMs: 3_600_000,
      rotateMs: 7_200_000,
      now: () => now,
    });
    expect(await other.verify(issued.token)).to.equal(undefined);
    const [header, payload] = issued.token.split('.');
    const none = Buffer.from(
      JSON.stringify({ alg: 'none', kid: JSON.parse(Buffer.from(header!, 'base64url').toString()).kid }),
    ).toString('base64url');
    expect(await sessions().verify(`${none}.${payload}.`)).to.equal(undefined);
  });

  it('rotates after rotateMs and retires a secret once its tokens expired', async () => {
    const first = await sessions().issue('ann');
    now += 7_200_000 + 1;
    const second = await sessions().issue('ann');
    const kids = ((await store.settings.get<{ kid: string }[]>(SESSION_KEYS_SETTING)) ?? []).map((entry) => entry.kid);
    expect(kids).to.have.length(2);
    expect(await sessions().verify(second.token)).to.not.equal(undefined);
    now += 3_600_000 + 1;
    expect(await sessions().verify(first.token)).to.equal(undefined);
  });

  it('revokes every session on rotate(true)', async () => {
    const issued = await sessions().issue('ann');
    await sessions().rotate(true);
    expect(await sessions().verify(issued.token)).to.equal(undefined);
  });
});
