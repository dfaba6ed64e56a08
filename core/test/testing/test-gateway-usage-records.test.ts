/** TestGateway.usageRecords(): reads without waiting for count 0, and names what never came. */
import { expect } from 'chai';
import { createTestGateway, type TestGateway } from '../../src/testing/index.js';

describe('testing kit: TestGateway.usageRecords()', () => {
  let tg: TestGateway;
  before(async () => {
    tg = await createTestGateway({ plugins: [] });
  });
  after(() => tg.close());

  it('reads without waiting when count is 0', async () => {
    expect(await tg.usageRecords({ count: 0 })).to.deep.equal([]);
  });

  it('rejects naming the count when the records never come', async () => {
    const error = await tg.usageRecords({ count: 1, timeoutMs: 100 }).catch((caught: unknown) => caught);
    expect(String(error)).to.match(/timed out after 100 ms waiting for 1 usage record\(s\)/);
  });
});
