import { expect } from 'chai';
import { AccountModelCatalogs, modelPatternProblem } from './model-catalog.js';
import { claimedModelPrefixes, modelPrefixProblem, prefixClaimProblems, withPrefixClaims } from './model-prefix-claims.js';
import { checkPluginSet } from '../plugins/check-plugin-set.js';
import { validatePlugin } from '../plugins/validate-plugin.js';

describe('model-prefix claims', () => {
  const router = { definition: { id: 'router', models: { defaults: ['router,*'], prefix: 'router,' } } };
  const vendor = { definition: { id: 'vendor-key', models: { defaults: ['big-*'] } } };
  const open = { definition: { id: 'open-key' } };

  it('accepts commas in model patterns (router-style ids), and prefixes of model-id characters without *', () => {
    expect(modelPatternProblem('router,vendor,model-x')).to.equal(undefined);
    expect(modelPatternProblem('router,*')).to.equal(undefined);
    expect(modelPrefixProblem('router,')).to.equal(undefined);
    expect(modelPrefixProblem('router*')).to.match(/no \*/);
    expect(modelPrefixProblem('')).to.match(/1 to 100/);
    expect(modelPrefixProblem(7)).to.match(/must be/);
  });

  it('lets the claiming type admit only its prefix, and every other type none of it, whatever their patterns', () => {
    const claimed = claimedModelPrefixes([router, vendor, open]);
    expect(claimed).to.deep.equal(['router,']);
    const everything = () => true;
    const own = withPrefixClaims(everything, router.definition.models, claimed);
    expect(own('router,vendor,model-x')).to.equal(true);
    expect(own('big-model-1')).to.equal(false);
    const other = withPrefixClaims(everything, undefined, claimed);
    expect(other('router,vendor,model-x')).to.equal(false);
    expect(other('big-model-1')).to.equal(true);
    expect(withPrefixClaims(everything, undefined, [])('router,x')).to.equal(true);
  });

  it('applies the claims in the per-account catalogs the scheduler uses', () => {
    const catalogs = new AccountModelCatalogs(['router,']);
    const subject = (id: string, type: string, settings: Record<string, unknown>) => ({ id, type, updatedAt: 't', settings });
    expect(catalogs.admits(subject('r', 'router', { models: ['*'] }), router.definition.models, 'big-model-1')).to.equal(false);
    expect(catalogs.admits(subject('r2', 'router', {}), router.definition.models, 'router,a,b')).to.equal(true);
    expect(catalogs.admits(subject('v', 'vendor-key', { models: ['*'] }), vendor.definition.models, 'router,a,b')).to.equal(
      false,
    );
    expect(catalogs.admits(subject('v2', 'vendor-key', { models: ['*'] }), vendor.definition.models, 'big-1')).to.equal(true);
  });

  it('reports a prefix claimed twice or overlapping another, and an invalid prefix, when plugins load', () => {
    expect(prefixClaimProblems([router, vendor])).to.deep.equal([]);
    const again = { definition: { id: 'router-two', models: { defaults: [], prefix: 'router,v' } } };
    expect(prefixClaimProblems([router, again])[0]).to.match(/"router" and "router-two" claim overlapping model prefixes/);
    const plugin = (id: string, prefix: unknown) => ({
      id,
      apiVersion: 1,
      accountTypes: [
        {
          id,
          label: id,
          credentials: router.definition,
          serves: ['p'],
          adapter: { send: () => undefined },
          models: { defaults: [], prefix },
        },
      ],
    });
    const members = [plugin('one', 'r,'), plugin('two', 'r,')].map((candidate) => ({
      plugin: candidate as never,
      source: 'inline',
      mounts: [],
    }));
    expect(checkPluginSet(members).join('\n')).to.match(/claim overlapping model prefixes "r," and "r,"/);
    expect(validatePlugin(plugin('bad', 'r*'), 'inline').join('\n')).to.match(/models\.prefix "r\*"/);
  });
});
