/**
 * The one timestamp convention of credentials and settings: `timestamp()` accepts ISO 8601
 * (with an offset) and epoch milliseconds and outputs ISO 8601 in UTC; `timestampMs()` reads
 * either form back, so credentials stored before the convention stay readable.
 */
import { expect } from 'chai';
import { timestamp, timestampMs, z } from '@switchyard/plugin-api';

describe('plugin-api timestamp()', () => {
  const schema = z.object({ expiresAt: timestamp() });

  it('stores ISO 8601 in UTC whether given ISO 8601 (any offset) or epoch milliseconds', () => {
    expect(schema.parse({ expiresAt: '2026-12-07T12:00:00Z' })).to.deep.equal({ expiresAt: '2026-12-07T12:00:00.000Z' });
    expect(schema.parse({ expiresAt: '2026-12-07T14:00:00+02:00' })).to.deep.equal({ expiresAt: '2026-12-07T12:00:00.000Z' });
    expect(schema.parse({ expiresAt: Date.UTC(2026, 11, 7, 12) })).to.deep.equal({ expiresAt: '2026-12-07T12:00:00.000Z' });
  });

  it('refuses what is not a moment: free text, dates without time, fractions, negative or huge numbers', () => {
    for (const expiresAt of ['tomorrow', '2026-12-07', 1.5, -1, 1e20, '', null, true]) {
      expect(schema.safeParse({ expiresAt }).success, JSON.stringify(expiresAt)).to.equal(false);
    }
  });

  it('describes itself to admin forms as a string or a number (the form shows a text field)', () => {
    const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as unknown as {
      properties: { expiresAt: { type?: string[] } };
    };
    expect(json.properties.expiresAt.type).to.deep.equal(['string', 'number']);
  });

  it('says what it expects when refusing, in a credential validation error that does not repeat the value', () => {
    for (const expiresAt of ['next week', 1.5]) {
      const issues = schema.safeParse({ expiresAt }).error?.issues ?? [];
      expect(
        issues.map((issue) => issue.message),
        String(expiresAt),
      ).to.deep.equal(['expected ISO 8601 with a time and an offset (2027-01-01T00:00:00Z) or epoch milliseconds']);
      expect(issues[0]).to.have.property('code', 'custom');
    }
  });
});

describe('plugin-api timestampMs()', () => {
  it('reads ISO 8601 and epoch milliseconds, and nothing else', () => {
    expect(timestampMs('2026-12-07T12:00:00.000Z')).to.equal(Date.UTC(2026, 11, 7, 12));
    expect(timestampMs(Date.UTC(2026, 11, 7, 12))).to.equal(Date.UTC(2026, 11, 7, 12));
    expect(timestampMs('soon')).to.equal(undefined);
    expect(timestampMs(undefined)).to.equal(undefined);
    expect(timestampMs(Number.NaN)).to.equal(undefined);
  });
});
