/**
 * Conformance: the account type's model catalog names provider families and admits the
 * models the suite's requests ask for; `listModels` names models (not patterns) the
 * account admits.
 */
import assert from 'node:assert/strict';
import type { AccountView, RequestFacts } from '@switchyard/plugin-api';
import { accountModelPatterns, accountModelTest, modelPatternProblem } from '../../accounts/model-catalog.js';
import { claimedModelPrefixes, modelPrefixProblem } from '../../accounts/model-prefix-claims.js';
import { settingsSchemaFor } from '../../plugins/account-type-schemas.js';
import { createInboundRequest } from '../create-requests.js';
import type { SuiteContext } from './conformance-harness.js';

/** Registers the catalog and model list tests (each only when the account type declares it). */
export function registerCatalogTests(context: SuiteContext): void {
  const { suite, it } = context;

  /** The registered account type and route protocol, from a gateway loading the suite's plugins. */
  async function loaded() {
    const h = context.harness();
    const tg = await h.gateway([]);
    const type = tg.gateway.registry.accountType(suite.accountType);
    assert.ok(type, `the plugins register the account type ${suite.accountType}`);
    const protocol = h.routeProtocol(tg, suite.routePath);
    const settings = settingsSchemaFor(type.definition).parse(suite.settings ?? {}) as Record<string, unknown>;
    const view: AccountView = {
      id: 'conformance-1',
      type: suite.accountType,
      name: 'conformance',
      priority: 10,
      groups: [],
      settings,
    };
    const claimed = claimedModelPrefixes(tg.gateway.registry.accountTypes());
    return { definition: type.definition, protocol, view, claimed };
  }

  it('declares a model catalog of valid patterns that admits the models the requests ask for', async function () {
    const { definition, protocol, view, claimed } = await loaded();
    // No catalog: the type admits every model (generic types); nothing to check.
    if (!definition.models) return this.skip?.();
    const defaults = definition.models.defaults;
    assert.ok(
      defaults.length > 0 || definition.models.fromSettings !== undefined,
      'models.defaults names at least one pattern (or models.fromSettings names what an account serves)',
    );
    for (const pattern of defaults) {
      assert.equal(modelPatternProblem(pattern), undefined, `models.defaults: ${JSON.stringify(pattern)}`);
      assert.notEqual(pattern, '*', "models.defaults names the provider's families, never every model ('*')");
    }
    const prefix = definition.models.prefix;
    if (prefix !== undefined) {
      assert.equal(modelPrefixProblem(prefix), undefined, `models.prefix: ${JSON.stringify(prefix)}`);
      for (const pattern of defaults) assert.ok(pattern.startsWith(prefix), `models.defaults ${pattern} starts with ${prefix}`);
    }
    const admits = accountModelTest(definition.models, accountModelPatterns(definition.models, view.settings), claimed);
    for (const kind of ['unary', 'stream'] as const) {
      const facts: RequestFacts | undefined = protocol?.describe(
        createInboundRequest({ body: context.harness().clientBody(kind) }),
      );
      if (facts?.model === undefined) continue;
      assert.ok(
        admits(facts.model),
        `the ${kind} request's model ${facts.model} is admitted by the catalog [${defaults.join(', ')}]`,
      );
    }
  });

  it('lists models (not patterns), each admitted by the account, none twice', async function () {
    const { definition, view, claimed } = await loaded();
    if (!definition.listModels) return this.skip?.();
    const listed = definition.listModels(view);
    assert.ok(Array.isArray(listed), 'listModels returns an array');
    assert.ok(listed.length > 0, 'an account with the suite settings lists at least one model');
    assert.equal(new Set(listed).size, listed.length, `no model twice: ${listed.join(', ')}`);
    const patterns = accountModelPatterns(definition.models, view.settings);
    const admits = accountModelTest(definition.models, patterns, claimed);
    for (const model of listed) {
      assert.ok(typeof model === 'string' && model.length > 0, `a model id is a non-empty string: ${JSON.stringify(model)}`);
      assert.ok(!model.includes('*'), `a model list names models, not patterns: ${model}`);
      assert.ok(admits(model), `listed model ${model} is admitted by the account's catalog [${patterns?.join(', ')}]`);
    }
  });
}
