import { expect } from 'chai';
import { AccountModelCatalogs, accountModelPatterns, compileModelPatterns, modelPatternProblem } from './model-catalog.js';

describe('model catalogs', () => {
  const defaults = { defaults: ['acme-*'] };

  it('compiles exact ids and * globs, with regex characters taken literally', () => {
    const test = compileModelPatterns(['other-4.1', 'acme-large-*', 'vendor/*-mini']);
    expect(['other-4.1', 'acme-large-4-6', 'vendor/x-mini'].every(test)).to.equal(true);
    expect(['other-421', 'acme-small-4-5', 'vendor/x-max', 'xother-4.1'].some(test)).to.equal(false);
    expect(compileModelPatterns(['*'])('anything')).to.equal(true);
  });

  it('uses the type defaults unless settings.models lists patterns, and admits mapped names', () => {
    expect(accountModelPatterns(defaults, {})).to.deep.equal(['acme-*']);
    expect(accountModelPatterns(defaults, { models: [] })).to.deep.equal(['acme-*']);
    expect(accountModelPatterns(defaults, { models: ['acme-large-*'] })).to.deep.equal(['acme-large-*']);
    expect(accountModelPatterns(defaults, { models: ['*'], modelMapping: { 'other-4o': 'vendor-4.6' } })).to.deep.equal([
      '*',
      'other-4o',
    ]);
    expect(accountModelPatterns(undefined, {})).to.equal(undefined);
  });

  it("admits the models the type's fromSettings names, and ignores invalid or throwing ones", () => {
    const deployments = {
      defaults: [] as string[],
      fromSettings: (settings: Readonly<Record<string, unknown>>) => Object.keys(settings.deployments as object),
    };
    expect(accountModelPatterns(deployments, { deployments: { 'big-4o': 'prod-4o', 'bad model': 'x' } })).to.deep.equal([
      'big-4o',
    ]);
    expect(accountModelPatterns(deployments, { models: ['small-*'], deployments: { 'big-4o': 'd' } })).to.deep.equal([
      'small-*',
      'big-4o',
    ]);
    expect(accountModelPatterns(deployments, {}), 'Object.keys(undefined) throws: nothing named').to.deep.equal([]);
    const test = compileModelPatterns(accountModelPatterns(deployments, { deployments: { 'big-4o': 'd' } })!);
    expect([test('big-4o'), test('big-4o-mini')]).to.deep.equal([true, false]);
  });

  it('recompiles an account only when its record changes', () => {
    const catalogs = new AccountModelCatalogs();
    const record = { id: 'a', type: 'acme-key', updatedAt: '2026-01-01T00:00:00.000Z', settings: { models: ['acme-large-*'] } };
    expect(catalogs.admits(record, defaults, 'acme-small-4-5')).to.equal(false);
    expect(
      catalogs.admits({ ...record, settings: { models: ['*'] } }, defaults, 'acme-small-4-5'),
      'same version: cached',
    ).to.equal(false);
    expect(
      catalogs.admits(
        { ...record, updatedAt: '2026-01-02T00:00:00.000Z', settings: { models: ['*'] } },
        defaults,
        'acme-small-4-5',
      ),
    ).to.equal(true);
  });

  it('names what is wrong with a pattern', () => {
    expect(modelPatternProblem('acme-*')).to.equal(undefined);
    expect(modelPatternProblem('acme-.*')).to.contain('regular expression');
    expect(modelPatternProblem('')).to.contain('not a model pattern');
    expect(modelPatternProblem(3)).to.contain('expected');
  });
});
