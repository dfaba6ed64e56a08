import { expect } from 'chai';
import type { KeyRecord } from '../store/types.js';
import { applyCard, keyTerms } from './apply-card.js';

const NOW = Date.parse('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;

function key(overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: 'k1',
    name: 'k',
    tags: [],
    hash: 'h',
    hint: 'sy_…',
    enabled: true,
    limits: {},
    source: 'admin',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('applyCard', () => {
  it('raises the total cost cap by the credit, keeping the other caps', () => {
    const applied = applyCard({ creditUsd: 5.1 }, key({ limits: { costUsd: { daily: 1, total: 10.2 }, concurrency: 2 } }), NOW);
    expect(applied).to.deep.equal({
      keyPatch: { limits: { costUsd: { daily: 1, total: 15.3 }, concurrency: 2 }, updatedAt: new Date(NOW).toISOString() },
      before: { totalCostUsd: 10.2 },
      after: { totalCostUsd: 15.3 },
    });
  });

  it('refuses credit for a key without a total cap, and days for a key that never expires', () => {
    expect(applyCard({ creditUsd: 5 }, key({ limits: { costUsd: { daily: 1 } } }), NOW))
      .to.have.property('refused')
      .that.match(/no total cost cap/);
    expect(applyCard({ days: 30 }, key(), NOW))
      .to.have.property('refused')
      .that.match(/never expires/);
  });

  it('applies both parts of a combined card or neither', () => {
    expect(applyCard({ creditUsd: 5, days: 3 }, key({ limits: { costUsd: { total: 1 } } }), NOW)).to.have.property('refused');
    const both = applyCard(
      { creditUsd: 5, days: 3 },
      key({ limits: { costUsd: { total: 1 } }, expiresAt: '2026-03-10T00:00:00.000Z' }),
      NOW,
    );
    expect(both).to.deep.include({ after: { totalCostUsd: 6, expiresAt: '2026-03-13T00:00:00.000Z' } });
  });

  it('extends a future expiry from itself and a lapsed one from now', () => {
    const future = applyCard({ days: 30 }, key({ expiresAt: '2026-03-10T00:00:00.000Z' }), NOW);
    expect(future).to.have.nested.property('keyPatch.expiresAt', '2026-04-09T00:00:00.000Z');
    const lapsed = applyCard({ days: 30 }, key({ expiresAt: '2026-02-01T00:00:00.000Z' }), NOW);
    expect(lapsed).to.have.nested.property('keyPatch.expiresAt', new Date(NOW + 30 * DAY).toISOString());
  });

  it('extends limits.expiresAt and grows an activation-based expiry', () => {
    const applied = applyCard(
      { days: 2 },
      key({ limits: { expiresAt: '2026-03-05T00:00:00.000Z', expiresAfterFirstUse: '36h' } }),
      NOW,
    );
    expect(applied).to.deep.include({
      before: { limitsExpiresAt: '2026-03-05T00:00:00.000Z', expiresAfterFirstUse: '36h' },
      after: { limitsExpiresAt: '2026-03-07T00:00:00.000Z', expiresAfterFirstUse: '84h' },
    });
    expect(applied).to.have.nested.property('keyPatch.limits.expiresAfterFirstUse', '84h');
    expect(applied).not.to.have.nested.property('keyPatch.expiresAt');
    expect(applyCard({ days: 2 }, key({ limits: { expiresAfterFirstUse: '7d' } }), NOW)).to.have.nested.property(
      'keyPatch.limits.expiresAfterFirstUse',
      '9d',
    );
  });

  it('refuses keys declared in the config file', () => {
    expect(applyCard({ creditUsd: 1 }, key({ source: 'config', limits: { costUsd: { total: 1 } } }), NOW))
      .to.have.property('refused')
      .that.match(/configuration file/);
  });

  it("refuses to go past the operator's ceilings", () => {
    const capped = key({ limits: { costUsd: { total: 90 } }, expiresAt: '2026-03-20T00:00:00.000Z' });
    expect(applyCard({ creditUsd: 20 }, capped, NOW, { maxTotalCostUsd: 100 }))
      .to.have.property('refused')
      .that.match(/\$100/);
    expect(applyCard({ creditUsd: 10 }, capped, NOW, { maxTotalCostUsd: 100 })).to.have.nested.property(
      'after.totalCostUsd',
      100,
    );
    expect(applyCard({ days: 80 }, capped, NOW, { maxExpiryDays: 90 }))
      .to.have.property('refused')
      .that.match(/90 days/);
    expect(applyCard({ days: 60 }, capped, NOW, { maxExpiryDays: 90 })).not.to.have.property('refused');
  });

  it('reads the terms a card can change', () => {
    expect(keyTerms(key({ limits: { costUsd: { daily: 3 } } }))).to.deep.equal({});
    expect(keyTerms(key({ expiresAt: '2026-01-01T00:00:00.000Z', limits: { costUsd: { total: 0 } } }))).to.deep.equal({
      totalCostUsd: 0,
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
  });
});
