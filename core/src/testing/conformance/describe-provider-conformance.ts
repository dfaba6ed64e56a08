/**
 * The conformance suite every provider plugin runs: streaming pass-through, unary
 * pass-through, usage resolution, abort propagation, error classification, failover, a
 * stream cut mid-way (renderStreamError), the model catalog and model list, the probe,
 * and no credential leaks, each against a real gateway and a fake upstream.
 */
import assert from 'node:assert/strict';
import { ConformanceHarness, type SuiteContext, type TranscriptEntry } from './conformance-harness.js';
import type { ConformanceSuite } from './conformance-suite.js';
import { registerAbortTests } from './abort-tests.js';
import { registerErrorTests } from './error-tests.js';
import { registerFailoverTests } from './failover-tests.js';
import { registerPassThroughTests } from './pass-through-tests.js';
import { registerCatalogTests } from './catalog-tests.js';
import { registerProbeTests } from './probe-tests.js';
import { registerStreamErrorTests } from './stream-error-tests.js';
import { registerSplitStreamTests } from './split-stream-tests.js';
import { resolveTestFunctions } from '../test-functions.js';

/**
 * Registers the provider conformance tests for one account type and route. Call it at
 * the top level of a test file run by mocha: the tests register with the running mocha's
 * `describe`/`it` (its globals, or `suite.testFunctions`), never with a copy of its own.
 *
 * @example
 * describeProviderConformance({
 *   name: 'echo',
 *   plugin: echoPlugin,
 *   accountType: 'echo-key',
 *   routePath: '/echo/v1/echo',
 *   startUpstream: () => startFakeEchoUpstream(),
 *   credentials: (url) => ({ apiKey: SECRET, baseUrl: url }),
 *   requests: { unary: { model: 'echo-1', input: 'hi' }, stream: { model: 'echo-1', input: 'hi', stream: true } },
 *   upstream: { unary: writeEchoUnary, stream: writeEchoStream, error: writeEchoError },
 *   expectedUsage: { inputTokens: 11, outputTokens: 7 },
 *   secret: SECRET,
 * });
 */
export function describeProviderConformance(suite: ConformanceSuite): void {
  const { describe, it, beforeEach, afterEach } = resolveTestFunctions(suite.testFunctions);
  describe(`provider conformance: ${suite.name} (${suite.accountType} on ${suite.routePath})`, function () {
    this.timeout?.(20_000);
    const transcript: TranscriptEntry[] = [];
    let current: ConformanceHarness | undefined;
    const context: SuiteContext = {
      suite,
      it,
      harness() {
        assert.ok(current, 'the conformance harness exists only inside a test');
        return current;
      },
    };

    beforeEach(function () {
      current = new ConformanceHarness(suite, transcript, this.currentTest?.title ?? 'test');
    });
    afterEach(async function () {
      await current?.cleanup();
      current = undefined;
    });

    it('is given a secret that is part of the credentials', () => {
      assert.ok(suite.secret.length >= 8, 'the secret is at least 8 characters (short ones match by accident)');
      assert.ok(
        JSON.stringify(suite.credentials('http://127.0.0.1:1')).includes(suite.secret),
        'credentials() contains the secret',
      );
    });

    registerPassThroughTests(context);
    registerAbortTests(context);
    registerErrorTests(context);
    registerFailoverTests(context);
    registerStreamErrorTests(context);
    registerSplitStreamTests(context);
    registerCatalogTests(context);
    registerProbeTests(context);

    it('never shows the credential in logs, printed lines, client answers or stored state', () => {
      assert.ok(transcript.length > 0, 'the earlier tests produced a transcript');
      assert.ok(
        transcript.some((entry) => entry.label.includes('log line')),
        'the gateway logs were captured (a log sink that receives nothing proves nothing)',
      );
      const leaks = transcript.filter((entry) => entry.text.includes(suite.secret)).map((entry) => entry.label);
      assert.deepEqual(leaks, [], `the secret appeared in: ${leaks.join('; ')}`);
    });
  });
}
