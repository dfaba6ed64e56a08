import { expect } from 'chai';
import { extractClientKey } from '../../src/auth/extract-client-key.js';

const KEY = 'sy_0123456789abcdef';
const none = new URLSearchParams();

describe('extractClientKey', () => {
  it('reads each supported header', () => {
    expect(extractClientKey({ 'x-api-key': KEY }, none)).to.deep.equal({
      key: KEY,
      sourceHeaders: ['x-api-key'],
      fromQuery: false,
    });
    expect(extractClientKey({ authorization: `Bearer ${KEY}` }, none).key).to.equal(KEY);
    expect(extractClientKey({ authorization: `bearer   ${KEY}` }, none).key).to.equal(KEY);
    expect(extractClientKey({ authorization: `BEARER ${KEY}` }, none).key).to.equal(KEY);
    expect(extractClientKey({ authorization: KEY }, none).key).to.equal(KEY);
    expect(extractClientKey({ 'x-goog-api-key': KEY }, none).key).to.equal(KEY);
    expect(extractClientKey({ 'api-key': KEY }, none).key).to.equal(KEY);
  });

  it('reads ?key= when no header carries a key', () => {
    expect(extractClientKey({}, new URLSearchParams({ key: KEY }))).to.deep.equal({
      key: KEY,
      sourceHeaders: [],
      fromQuery: true,
    });
  });

  it('follows the precedence x-api-key, authorization, x-goog-api-key, api-key, query', () => {
    const all = {
      'api-key': 'd'.repeat(12),
      'x-goog-api-key': 'c'.repeat(12),
      authorization: `Bearer ${'b'.repeat(12)}`,
      'x-api-key': 'a'.repeat(12),
    };
    const query = new URLSearchParams({ key: 'e'.repeat(12) });
    const found = extractClientKey(all, query);
    expect(found.key).to.equal('a'.repeat(12));
    expect(found.fromQuery).to.equal(false);
    expect(found.sourceHeaders).to.deep.equal(['x-api-key', 'authorization', 'x-goog-api-key', 'api-key']);
    const { 'x-api-key': _a, ...withoutA } = all;
    expect(extractClientKey(withoutA, query).key).to.equal('b'.repeat(12));
    const { authorization: _b, ...withoutB } = withoutA;
    expect(extractClientKey(withoutB, query).key).to.equal('c'.repeat(12));
    const { 'x-goog-api-key': _c, ...withoutC } = withoutB;
    expect(extractClientKey(withoutC, query).key).to.equal('d'.repeat(12));
    expect(extractClientKey({}, query).key).to.equal('e'.repeat(12));
  });

  it('accepts header names in any case and array values', () => {
    expect(extractClientKey({ 'X-Api-Key': [KEY, 'other'] }, none)).to.deep.equal({
      key: KEY,
      sourceHeaders: ['x-api-key'],
      fromQuery: false,
    });
  });

  it('skips authorization schemes other than Bearer, but still lists the header', () => {
    const found = extractClientKey({ authorization: 'Basic dXNlcjpwYXNz', 'api-key': KEY }, none);
    expect(found.key).to.equal(KEY);
    expect(found.sourceHeaders).to.deep.equal(['authorization', 'api-key']);
  });

  it('reports no key when nothing carries one', () => {
    expect(extractClientKey({ 'content-type': 'application/json', 'x-api-key': '  ' }, none)).to.deep.equal({
      sourceHeaders: [],
      fromQuery: false,
    });
  });

  it('returns implausible lengths as given (key lookup rejects them)', () => {
    expect(extractClientKey({ 'x-api-key': 'abc' }, none).key).to.equal('abc');
    expect(extractClientKey({ 'x-api-key': 'x'.repeat(600) }, none).key).to.have.length(600);
  });
});
