/**
 * Conformance: the account type's probe (the admin's "test" button) answers against the
 * upstream without throwing, reports an unreachable upstream it depends on as not ok,
 * and never shows the credential.
 */
import assert from 'node:assert/strict';
import type { ProbeResult } from '@switchyard/plugin-api';
import { closedPortUrl, type SuiteContext } from './conformance-harness.js';

function assertShape(result: ProbeResult, secret: string, where: string): void {
  assert.equal(typeof result.ok, 'boolean', `${where}: ok is a boolean`);
  if (result.message !== undefined) assert.equal(typeof result.message, 'string', `${where}: message is a string`);
  if (result.details !== undefined) assert.equal(typeof result.details, 'object', `${where}: details is an object`);
  assert.ok(!JSON.stringify(result).includes(secret), `${where}: the probe result shows the credential`);
}

/** Registers the probe test (when the account type has a probe and the suite does not opt out). */
export function registerProbeTests(context: SuiteContext): void {
  const { suite, it } = context;
  if (suite.probe === false) return;
  const expectedOk = suite.probe?.ok;

  it('probes an account against its upstream, reports an unreachable upstream as not ok, never shows the secret', async function () {
    const h = context.harness();
    const fake = await h.upstream((_req, res) => suite.upstream.unary(res));
    const tg = await h.gateway([fake.url]);
    if (!tg.gateway.registry.accountType(suite.accountType)?.definition.probe) return this.skip?.();

    const answered = await tg.gateway.probeAccount(tg.accountIds[0]!);
    h.record('probe result', JSON.stringify(answered));
    assertShape(answered, suite.secret, 'against the fake upstream');
    if (expectedOk !== undefined) {
      assert.equal(answered.ok, expectedOk, `the probe reports ok: ${expectedOk} (got ${JSON.stringify(answered)})`);
    }

    const down = await h.gateway([await closedPortUrl()]);
    const unreachable = await down.gateway.probeAccount(down.accountIds[0]!);
    h.record('probe result (unreachable)', JSON.stringify(unreachable));
    assertShape(unreachable, suite.secret, 'against an unreachable upstream');
    // A probe that calls upstream must notice when it cannot reach it.
    if (fake.requests.length > 0) {
      assert.equal(unreachable.ok, false, `an unreachable upstream is reported as not ok (got ${JSON.stringify(unreachable)})`);
    }
  });
}
