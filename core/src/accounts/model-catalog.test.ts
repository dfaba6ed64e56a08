import { expect } from 'chai';
import { AccountModelCatalogs, accountModelPatterns, compileModelPatterns, modelPatternProblem } from './model-catalog.js';

describe('model catalogs', () => {
  const defaults = { defaults: ['claude-*'] };

  it('compiles exact ids and * globs, with regex characters taken literally', () => {
    const test = compileModelPatterns(['gpt-4.1', 'claude-sonnet-*', 'vendor/*-mini']);
    expect(['gpt-4.1', 'claude-sonnet-4-6', 'vendor/x-mini'].every(test)).to.equal(true);
    expect(['gpt-421', 'claude-haiku-4-5', 'vendor/x-max', 'xgpt-4.1'].some(test)).to.equal(false);
    expect(compileModelPatterns(['*'])('anything')).to.equal(true);
  });

  it('uses the type defaults unless settings.models lists patterns, and admits mapped names', () => {
    expect(accountModelPatterns(defaults, {})).to.deep.equal(['claude-*']);
    expect(accountModelPatterns(defaults, { models: [] })).to.deep.equal(['claude-*']);
    expect(accountModelPatterns(defaults, { models: ['claude-sonnet-*'] })).to.deep.equal(['claude-sonnet-*']);
    expect(accountModelPatterns(defaults, { models: ['*'], modelMapping: { 'gpt-4o': 'glm-4.6' } })).to.deep.equal(['*', 'gpt-4o']);
    expect(accountModelPatterns(undefined, {})).to.equal(undefined);
  });

  it('recompiles an account only when its record changes', () => {
    const catalogs = new AccountModelCatalogs();
    const record = { id: 'a', type: 'claude-console', updatedAt: '2026-01-01T00:00:00.000Z', settings: { models: ['claude-sonnet-*'] } };
    expect(catalogs.admits(record, defaults, 'claude-haiku-4-5')).to.equal(false);
    expect(catalogs.admits({ ...record, settings: { models: ['*'] } }, defaults, 'claude-haiku-4-5'), 'same version: cached').to.equal(false);
    expect(catalogs.admits({ ...record, updatedAt: '2026-01-02T00:00:00.000Z', settings: { models: ['*'] } }, defaults, 'claude-haiku-4-5')).to.equal(true);
  });

  it('names what is wrong with a pattern', () => {
    expect(modelPatternProblem('claude-*')).to.equal(undefined);
    expect(modelPatternProblem('claude-.*')).to.contain('regular expression');
    expect(modelPatternProblem('')).to.contain('not a model pattern');
    expect(modelPatternProblem(3)).to.contain('expected');
  });
});
