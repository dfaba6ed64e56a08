import { expect } from 'chai';
import { createEmbeddedStore } from '../../src/store/embedded/create-embedded-store.js';
import type { Store } from '../../src/store/types.js';
import { ensureFirstAdmin, resetAdminPassword } from '../../src/auth/admin-bootstrap.js';
import { verifyPassword } from '../../src/auth/password-hash.js';
import { captureLogger } from './capture-logger.js';

describe('admin bootstrap', () => {
  let store: Store;
  beforeEach(async () => {
    store = await createEmbeddedStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('generates the first admin once and prints its password once, never logging it', async () => {
    const { log, lines } = captureLogger();
    const printed: (readonly string[])[] = [];
    const print = (block: readonly string[]) => printed.push(block);
    const first = await ensureFirstAdmin({ store, config: { admin: {} }, log, print });
    expect(first).to.deep.equal({ created: true, username: 'admin', generated: true });
    expect(printed).to.have.length(1);
    const passwordLine = printed[0]!.find((line) => line.includes('password:'))!;
    const password = passwordLine.split('password:')[1]!.trim();
    expect(password).to.have.length(24);
    expect(JSON.stringify(lines)).not.to.include(password);
    const admin = await store.users.get('admin');
    expect(admin?.passwordHash).not.to.include(password);
    expect(await verifyPassword(password, admin!.passwordHash!)).to.equal(true);

    const second = await ensureFirstAdmin({ store, config: { admin: {} }, log, print });
    expect(second.created).to.equal(false);
    expect(printed).to.have.length(1);
  });

  it('uses the configured username and password without printing', async () => {
    const { log, lines } = captureLogger();
    const printed: unknown[] = [];
    const result = await ensureFirstAdmin({
      store,
      config: { admin: { username: 'root', password: 'configured-pass' } },
      log,
      print: (block) => printed.push(block),
    });
    expect(result).to.deep.equal({ created: true, username: 'root', generated: false });
    expect(printed).to.have.length(0);
    expect(JSON.stringify(lines)).not.to.include('configured-pass');
    expect(await verifyPassword('configured-pass', (await store.users.get('root'))!.passwordHash!)).to.equal(true);
  });

  it('resets a password, generating one when none is given', async () => {
    await resetAdminPassword({ store, username: 'admin', password: 'first-password' });
    const created = await store.users.get('admin');
    const generated = await resetAdminPassword({ store, username: 'admin' });
    expect(generated).to.have.length(24);
    const after = await store.users.get('admin');
    expect(after?.createdAt).to.equal(created?.createdAt);
    expect(await verifyPassword(generated, after!.passwordHash!)).to.equal(true);
    expect(await verifyPassword('first-password', after!.passwordHash!)).to.equal(false);
    let error: unknown;
    await resetAdminPassword({ store, username: 'admin', password: 'short' }).catch((e: unknown) => (error = e));
    expect(String(error)).to.include('at least 8');
  });
});
