import { expect } from 'chai';
import { detailLines } from '../src/lib/check-details.js';

describe('detailLines (account check details in the admin)', () => {
  it('flattens nested details, names list items by their name, and caps the lines', () => {
    const details = {
      tier: 'max',
      balance: { usd: 12.5, credits: 3 },
      windows: [{ name: '5h', usedPercent: 40, resetsAt: '2026-12-07T18:00:00Z' }, { usedPercent: 7 }],
      flags: [true, null],
    };
    expect(detailLines(details)).to.deep.equal([
      { label: 'tier', value: 'max' },
      { label: 'balance.usd', value: '12.50' },
      { label: 'balance.credits', value: '3' },
      { label: 'windows.5h.usedPercent', value: '40' },
      { label: 'windows.5h.resetsAt', value: '2026-12-07T18:00:00Z' },
      { label: 'windows[1].usedPercent', value: '7' },
      { label: 'flags[0]', value: 'true' },
      { label: 'flags[1]', value: '—' },
    ]);
    expect(detailLines(details, 2).map((line) => line.label)).to.deep.equal(['tier', 'balance.usd']);
    expect(detailLines(undefined)).to.deep.equal([]);
  });
});
