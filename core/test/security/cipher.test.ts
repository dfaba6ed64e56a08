import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { decryptJson, encryptJson } from '../../src/security/cipher.js';

const MESSAGE = 'cannot decrypt stored credentials: wrong ENCRYPTION_KEY or corrupted data';

describe('cipher', () => {
  const key = randomBytes(32);

  it('round-trips JSON values', () => {
    const value = { apiKey: 'sk-very-secret', nested: { list: [1, 2, 3] }, flag: true };
    const envelope = encryptJson(key, value);
    expect(envelope).to.match(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(envelope).not.to.include('very-secret');
    expect(decryptJson(key, envelope)).to.deep.equal(value);
    expect(decryptJson(key, encryptJson(key, 'http://u:p@h:1'))).to.equal('http://u:p@h:1');
  });

  it('uses a fresh IV for every value', () => {
    expect(encryptJson(key, { a: 1 })).not.to.equal(encryptJson(key, { a: 1 }));
  });

  it('rejects a tampered envelope', () => {
    const parts = encryptJson(key, { apiKey: 'secret-value' }).split('.');
    const ciphertext = Buffer.from(parts[3]!, 'base64url');
    ciphertext[0] = ciphertext[0]! ^ 1;
    const tampered = [parts[0], parts[1], parts[2], ciphertext.toString('base64url')].join('.');
    expect(() => decryptJson(key, tampered)).to.throw(MESSAGE);
    const badTag = [parts[0], parts[1], Buffer.alloc(16).toString('base64url'), parts[3]].join('.');
    expect(() => decryptJson(key, badTag)).to.throw(MESSAGE);
  });

  it('rejects a wrong key without revealing anything', () => {
    const envelope = encryptJson(key, { apiKey: 'secret-value' });
    try {
      decryptJson(randomBytes(32), envelope);
      expect.fail('should throw');
    } catch (error) {
      expect((error as Error).message).to.equal(MESSAGE);
      expect(String((error as Error).stack)).not.to.include('secret-value');
    }
  });

  it('rejects malformed envelopes', () => {
    for (const bad of ['', 'v1', 'v2.a.b.c', 'v1.a.b', 'v1.AAAA.AAAA.AAAA']) {
      expect(() => decryptJson(key, bad)).to.throw(MESSAGE);
    }
  });

  it('requires a 32-byte key', () => {
    expect(() => encryptJson(randomBytes(16), 1)).to.throw(TypeError);
  });
});
