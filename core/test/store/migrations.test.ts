import { expect } from 'chai';
import { latestSchemaVersion, pendingMigrations, type Migration } from '../../src/store/migrations.js';

const step = (version: number): Migration<null> => ({ version, description: `step ${version}`, up() {} });

describe('store migrations', () => {
  it('plans the migrations after the current version', () => {
    const list = [step(1), step(2), step(3)];
    expect(latestSchemaVersion(list)).to.equal(3);
    expect(pendingMigrations('s', 0, list).map((m) => m.version)).to.deep.equal([1, 2, 3]);
    expect(pendingMigrations('s', 2, list).map((m) => m.version)).to.deep.equal([3]);
    expect(pendingMigrations('s', 3, list)).to.deep.equal([]);
  });

  it('refuses newer data, a broken version number and gaps in the list', () => {
    expect(() => pendingMigrations('my store', 4, [step(1)])).to.throw(/my store.*schema version 4.*up to 1/);
    expect(() => pendingMigrations('s', Number.NaN, [step(1)])).to.throw(/not a valid version/);
    expect(() => pendingMigrations('s', 0, [step(1), step(3)])).to.throw(/without gaps/);
  });
});
