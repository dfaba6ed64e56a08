/** The bench's option parsing: `--pair` takes exactly two known routes. */
import { expect } from 'chai';
import { parseOptions } from '../src/options.js';

describe('bench options', () => {
  it('reads --pair as two routes', () => {
    expect(parseOptions(['--pair', 'claude,bedrock']).pair).to.deep.equal(['claude', 'bedrock']);
    expect(parseOptions([]).pair).to.equal(undefined);
  });

  it('refuses a pair that is not two known routes', () => {
    expect(() => parseOptions(['--pair', 'claude'])).to.throw(/two routes/);
    expect(() => parseOptions(['--pair', 'claude,claude'])).to.throw(/two routes/);
    expect(() => parseOptions(['--pair', 'claude,nope'])).to.throw(/--provider must be/);
  });
});
