/** Request ids: RFC 9562 UUIDv7, time-ordered and strictly increasing within one process. */
import { expect } from 'chai';
import { createRequestIdGenerator } from '../../src/app/request-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix milliseconds at the head of a v7 id. */
function millisOf(id: string): number {
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

describe('request ids (UUIDv7)', () => {
  let newRequestId: ReturnType<typeof createRequestIdGenerator>;
  beforeEach(() => {
    newRequestId = createRequestIdGenerator();
  });

  it('are version 7, variant 10, and carry the time they were made', () => {
    const at = Date.UTC(2026, 10, 26, 17, 30, 0, 123);
    const id = newRequestId(at);
    expect(id).to.match(V7);
    expect(millisOf(id)).to.equal(at);
    const now = createRequestIdGenerator()();
    expect(millisOf(now)).to.be.within(Date.now() - 1000, Date.now());
  });

  it('sort in the order they were made, also many within one millisecond', () => {
    const at = Date.UTC(2027, 0, 1);
    const ids = Array.from({ length: 5000 }, (_, i) => newRequestId(at + Math.floor(i / 1000)));
    for (const id of ids) expect(id).to.match(V7);
    expect(new Set(ids).size).to.equal(ids.length);
    expect([...ids].sort()).to.deep.equal(ids);
  });

  it('keep increasing when the clock steps back', () => {
    const at = Date.UTC(2027, 1, 1);
    const before = newRequestId(at);
    const after = newRequestId(at - 60_000);
    expect(after > before).to.equal(true);
    expect(millisOf(after)).to.equal(at);
  });

  it('move to the next millisecond when one millisecond runs out of counter values', () => {
    const at = Date.UTC(2027, 2, 1);
    const ids = Array.from({ length: 4200 }, () => newRequestId(at));
    expect([...ids].sort()).to.deep.equal(ids);
    expect(millisOf(ids.at(-1)!)).to.be.greaterThan(at);
  });

  it('differ in their random bits across calls', () => {
    const tails = new Set(Array.from({ length: 200 }, (_, i) => newRequestId(Date.UTC(2027, 3, 1) + i).slice(19)));
    expect(tails.size).to.equal(200);
  });
});
