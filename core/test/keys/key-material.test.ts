import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { generateKey, hashKey, keyHint, randomId } from '../../src/keys/key-material.js';

describe('key material', () => {
  it('generates prefix + 64 hex characters', () => {
    const key = generateKey('sy_');
    expect(key).to.match(/^sy_[0-9a-f]{64}$/);
    expect(generateKey('sy_')).not.to.equal(key);
  });

  it('hashes with HMAC-SHA256, keyed', () => {
    const secret = randomBytes(32);
    const hash = hashKey(secret, 'sy_abc');
    expect(hash).to.match(/^[0-9a-f]{64}$/);
    expect(hashKey(secret, 'sy_abc')).to.equal(hash);
    expect(hashKey(randomBytes(32), 'sy_abc')).not.to.equal(hash);
  });

  it('hints show the prefix, four first and four last characters only', () => {
    const key = `sy_${'0123456789abcdef'.repeat(4)}`;
    expect(keyHint(key, 'sy_')).to.equal('sy_0123…cdef');
    expect(keyHint('declared-key-without-prefix-1234', 'sy_')).to.equal('decl…1234');
    expect(keyHint('shortish-key', 'sy_')).to.equal('…ey');
    expect(keyHint('tiny')).to.equal('…');
  });

  it('makes ids with a prefix and 12 base32 characters', () => {
    expect(randomId('key_')).to.match(/^key_[a-z2-7]{12}$/);
  });
});
