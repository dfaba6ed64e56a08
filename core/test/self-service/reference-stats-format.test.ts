/** The reference's number formats and ids, value by value. */
import { expect } from 'chai';
import { formatReferenceCost, referenceKeyId } from '../../src/self-service/reference-stats.js';
import type { KeyRecord } from '../../src/store/types.js';

describe('reference stats formats', () => {
  it('prints costs as the reference does: 2 decimals from $1, 4 from $0.001, else 6', () => {
    expect(formatReferenceCost(0)).to.equal('$0.000000');
    expect(formatReferenceCost(0.000999)).to.equal('$0.000999');
    expect(formatReferenceCost(0.001)).to.equal('$0.0010');
    expect(formatReferenceCost(0.01962)).to.equal('$0.0196');
    expect(formatReferenceCost(0.99999)).to.equal('$1.0000');
    expect(formatReferenceCost(1)).to.equal('$1.00');
    expect(formatReferenceCost(1234.567)).to.equal('$1234.57');
  });

  it('answers an imported key by the id the reference knew it by, any other key by its own', () => {
    const key = (id: string) => ({ id }) as KeyRecord;
    expect(referenceKeyId(key('crs_5f0c1a2e-8d0b-4b7e-9a55-0d5b8f2b7c11'))).to.equal('5f0c1a2e-8d0b-4b7e-9a55-0d5b8f2b7c11');
    expect(referenceKeyId(key('k_01HZX'))).to.equal('k_01HZX');
  });
});
