/** Which entry of an alias table applies: exact ids first, then the longest matching pattern. */
import { expect } from 'chai';
import { aliasIn, modelAliasesSchema } from './model-aliases.js';

describe('model alias tables', () => {
  const table = { 'big-*': 'big-1', 'big-small-*': 'small-1', 'big-small-4-5': 'tiny-1' };

  it('prefers an exact id, then the longest pattern; case-insensitive patterns; no match is undefined', () => {
    expect(aliasIn(table, 'big-small-4-5')).to.equal('tiny-1');
    expect(aliasIn(table, 'big-small-3')).to.equal('small-1');
    expect(aliasIn(table, 'Big-Large-4-8')).to.equal('big-1');
    expect(aliasIn(table, 'gpt-5')).to.equal(undefined);
    expect(aliasIn(undefined, 'gpt-5')).to.equal(undefined);
  });

  it('validates: served models are exact ids, entries non-empty', () => {
    expect(modelAliasesSchema.safeParse(table).success).to.equal(true);
    expect(modelAliasesSchema.safeParse({ 'a-*': 'b-*' }).success).to.equal(false);
    expect(modelAliasesSchema.safeParse({ a: '' }).success).to.equal(false);
    expect(modelAliasesSchema.safeParse({ a: 3 }).success).to.equal(false);
  });
});
