import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../src/auth/password-hash.js';

describe('password hashing', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).to.match(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored).not.to.include('correct');
    expect(await hashPassword('correct horse battery')).not.to.equal(stored);
    expect(await verifyPassword('correct horse battery', stored)).to.equal(true);
    expect(await verifyPassword('correct horse batterY', stored)).to.equal(false);
  });

  it('treats malformed or absurd hashes as a mismatch', async () => {
    expect(await verifyPassword('x', '')).to.equal(false);
    expect(await verifyPassword('x', 'bcrypt$1$2$3$4$5')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$3$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==')).to.equal(false);
    expect(await verifyPassword('x', `scrypt$${2 ** 24}$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA==`)).to.equal(false);
  });
});
