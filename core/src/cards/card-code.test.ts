import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { CARD_ALPHABET, cardHint, generateCardCode, hashCardCode, normalizeCardCode } from './card-code.js';
import { hashKey } from '../keys/key-material.js';

describe('card codes', () => {
  it('are SYC- and four groups of four unambiguous characters, all different', () => {
    const codes = new Set(Array.from({ length: 200 }, () => generateCardCode()));
    expect(codes.size).to.equal(200);
    for (const code of codes) {
      expect(code).to.match(/^SYC(-[0-9A-Z]{4}){4}$/);
      for (const char of code.slice(4).replaceAll('-', '')) expect(CARD_ALPHABET).to.include(char);
      expect(code.slice(4)).not.to.match(/[01ILO]/);
    }
  });

  it('normalise whatever case, dashes and spaces a person typed, and refuse anything else', () => {
    expect(normalizeCardCode(' syc-7kqp m2xd_9hrt-4wnb ')).to.equal('SYC7KQPM2XD9HRT4WNB');
    expect(normalizeCardCode('SYC7KQPM2XD9HRT4WNB')).to.equal('SYC7KQPM2XD9HRT4WNB');
    expect(normalizeCardCode('SYC-7KQP-M2XD-9HRT')).to.equal(undefined);
    expect(normalizeCardCode('SYC-7KQP-M2XD-9HRT-4WNO')).to.equal(undefined);
    expect(normalizeCardCode('XYZ-7KQP-M2XD-9HRT-4WNB')).to.equal(undefined);
    expect(normalizeCardCode('x'.repeat(100))).to.equal(undefined);
  });

  it('hash under a domain of their own, so a code never hashes like a key', () => {
    const secret = randomBytes(32);
    const code = 'SYC7KQPM2XD9HRT4WNB';
    expect(hashCardCode(secret, code)).to.match(/^[0-9a-f]{64}$/);
    expect(hashCardCode(secret, code)).not.to.equal(hashKey(secret, code));
    expect(hashCardCode(secret, code)).not.to.equal(hashCardCode(randomBytes(32), code));
  });

  it('show only their last group', () => {
    expect(cardHint('SYC-7KQP-M2XD-9HRT-4WNB')).to.equal('SYC-…-4WNB');
  });
});
