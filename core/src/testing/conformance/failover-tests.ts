/**
 * Conformance: an account that answers 429 before any byte reached the client is
 * skipped, and the request is served by the next account.
 */
import assert from 'node:assert/strict';
import type { SuiteContext } from './conformance-harness.js';

/** Registers the unary and streamed failover tests. */
export function registerFailoverTests(context: SuiteContext): void {
  const { suite, it } = context;

  for (const kind of ['unary', 'stream'] as const) {
    it(`fails over to the next account when the first answers 429 (${kind})`, async () => {
      const h = context.harness();
      const limited = await h.upstream(async (_req, res) => {
        res.setHeader('retry-after', '7');
        await suite.upstream.error(res, 429);
      });
      const healthy = await h.upstream((_req, res) =>
        kind === 'unary' ? suite.upstream.unary(res) : suite.upstream.stream(res),
      );
      const tg = await h.gateway([limited.url, healthy.url]);
      const res = await h.send(tg, kind);

      assert.equal(limited.requests.length, 1, 'the preferred account was tried first');
      assert.equal(healthy.requests.length, 1, 'the second account served the request');
      assert.equal(res.status, 200, `the client got a success: ${res.text().slice(0, 200)}`);
      const served = healthy.requests[0]!.response.body();
      const transcoding = kind === 'stream' ? suite.streamTranscoding : undefined;
      assert.ok(
        res.body.equals(transcoding ? transcoding.clientBytes(served) : served),
        "the client got exactly the second account's answer, nothing of the first",
      );
      await h.cooldown(tg, tg.accountIds[0]!, 'rate_limited');
      const [record] = await h.usageRecords(tg);
      assert.equal(record?.accountId, tg.accountIds[1], 'usage is booked on the account that served');
    });
  }
}
