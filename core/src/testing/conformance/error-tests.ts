/**
 * Conformance: upstream error answers (and an unreachable upstream) are classified
 * into the right kind, cool the account down, and reach the client in the route's shape.
 */
import assert from 'node:assert/strict';
import { closedPortUrl, type SuiteContext } from './conformance-harness.js';
import { DEFAULT_ERROR_CASES } from './conformance-suite.js';
import { assertErrorInRouteShape } from './error-shape.js';

/** Registers one test per error case plus the unreachable-upstream test. */
export function registerErrorTests(context: SuiteContext): void {
  const { suite, it } = context;

  for (const errorCase of suite.errorCases ?? DEFAULT_ERROR_CASES) {
    it(`classifies an upstream ${errorCase.status} as ${errorCase.kind}`, async () => {
      const h = context.harness();
      const fake = await h.upstream(async (_req, res) => {
        for (const [name, value] of Object.entries(errorCase.headers ?? {})) res.setHeader(name, value);
        await suite.upstream.error(res, errorCase.status);
      });
      const tg = await h.gateway([fake.url]);
      const res = await h.send(tg, 'unary');

      assert.ok(fake.requests.length >= 1, 'the upstream got the request');
      assert.ok(res.status >= 400, `the client got an error status (got ${res.status})`);
      if (errorCase.kind === 'rate_limited') {
        assert.equal(res.status, 429, 'with no other account, the client gets the 429');
        if (errorCase.headers?.['retry-after'] !== undefined) {
          assert.ok(res.headers['retry-after'] !== undefined, 'retry-after reaches the client');
        }
      }
      assertErrorInRouteShape(res, fake.requests[0]?.response.body(), h.routeProtocol(tg, suite.routePath));

      const state = await h.cooldown(tg, tg.accountIds[0]!, errorCase.kind);
      assert.ok((state.coolingDownUntil ?? 0) > Date.now(), 'the cooldown lies in the future');
    });
  }

  it('classifies an unreachable upstream as network', async () => {
    const h = context.harness();
    const tg = await h.gateway([await closedPortUrl()]);
    const res = await h.send(tg, 'unary');

    assert.ok(res.status >= 500, `the client got a server-side error status (got ${res.status})`);
    assertErrorInRouteShape(res, undefined, h.routeProtocol(tg, suite.routePath));
    const state = await h.cooldown(tg, tg.accountIds[0]!, 'network');
    assert.ok((state.coolingDownUntil ?? 0) > Date.now(), 'the cooldown lies in the future');
  });
}
