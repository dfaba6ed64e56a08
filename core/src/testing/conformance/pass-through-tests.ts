/**
 * Conformance: answers pass through untouched (streamed frame by frame, unary with
 * status and content type) and their usage is recorded.
 */
import assert from 'node:assert/strict';
import type { Usage, UsageRecord } from '@switchyard/plugin-api';
import type { SuiteContext } from './conformance-harness.js';

function assertUsage(record: UsageRecord, expected: Partial<Usage>): void {
  for (const [field, value] of Object.entries(expected)) {
    if (field === 'raw') continue;
    assert.deepEqual(
      record.usage[field as keyof Usage],
      value,
      `usage.${field}: expected ${String(value)}, got ${String(record.usage[field as keyof Usage])}`,
    );
  }
}

/** Registers the streaming, unary and usage tests. */
export function registerPassThroughTests(context: SuiteContext): void {
  const { suite, it } = context;

  it('streams the upstream bytes to the client unchanged, frame by frame', async () => {
    const h = context.harness();
    const fake = await h.upstream((_req, res) => suite.upstream.stream(res));
    const tg = await h.gateway([fake.url]);
    const res = await h.send(tg, 'stream');

    const upstream = fake.requests[0]?.response;
    assert.ok(upstream, 'the upstream got the request');
    const transcoding = suite.streamTranscoding;
    assert.equal(res.status, upstream.status, 'status passes through');
    assert.equal(
      res.headers['content-type'],
      transcoding?.contentType ?? upstream.headers()['content-type'],
      transcoding ? 'the content type of the re-encoded stream' : 'content-type passes through',
    );
    assert.ok(upstream.chunks.length >= 5, `the fake stream wrote ${upstream.chunks.length} frames; the suite needs at least 5`);
    const expected = transcoding ? transcoding.clientBytes(upstream.body()) : upstream.body();
    assert.equal(
      res.text(),
      expected.toString('utf8'),
      'the client got exactly the bytes upstream wrote (re-encoded when the suite says so)',
    );
    assert.ok(res.body.equals(expected), 'byte-for-byte equality');

    const upstreamSpread = upstream.chunkTimes.at(-1)! - upstream.chunkTimes[0]!;
    const clientSpread = res.chunkTimes.at(-1)! - res.chunkTimes[0]!;
    assert.ok(
      upstreamSpread >= 60,
      `the fake stream must spread its frames (spread ${upstreamSpread.toFixed(0)} ms, want >= 60)`,
    );
    assert.ok(res.chunks.length >= 2, `the client got the whole stream in ${res.chunks.length} chunk(s): buffered`);
    assert.ok(
      res.chunkTimes[0]! < upstream.chunkTimes.at(-1)!,
      'the first frame reached the client before upstream wrote its last frame (not buffered)',
    );
    assert.ok(
      clientSpread >= upstreamSpread / 2,
      `frames arrived within ${clientSpread.toFixed(0)} ms although upstream spread them over ${upstreamSpread.toFixed(0)} ms`,
    );
  });

  it('passes a unary answer through with its status and content type', async () => {
    const h = context.harness();
    const fake = await h.upstream((_req, res) => suite.upstream.unary(res));
    const tg = await h.gateway([fake.url]);
    const res = await h.send(tg, 'unary');

    const recorded = fake.requests[0];
    assert.ok(recorded, 'the upstream got the request');
    assert.equal(fake.requests.length, 1, 'one upstream call');
    assert.equal(res.status, recorded.response.status);
    assert.equal(res.headers['content-type'], recorded.response.headers()['content-type']);
    assert.ok(res.body.equals(recorded.response.body()), `the client got exactly upstream's body: ${res.text().slice(0, 200)}`);

    const upstreamSaw = `${JSON.stringify(recorded.headers)}\n${recorded.url}\n${recorded.text()}`;
    assert.ok(!upstreamSaw.includes(tg.key), "the client's key never reaches upstream");
    if (suite.forwardsBodyVerbatim !== false) {
      const sent = Buffer.from(h.clientBody('unary'));
      assert.ok(
        recorded.body.equals(sent),
        `the client's body is forwarded byte for byte; upstream got: ${recorded.text().slice(0, 200)}`,
      );
    }
  });

  it('records usage of a unary answer', async () => {
    const h = context.harness();
    const fake = await h.upstream((_req, res) => suite.upstream.unary(res));
    const tg = await h.gateway([fake.url]);
    const res = await h.send(tg, 'unary');
    assert.equal(res.status, 200, res.text().slice(0, 200));

    const [record] = await h.usageRecords(tg);
    assert.ok(record);
    assertUsage(record, suite.expectedUsage);
    assert.equal(record.stream, false, 'record.stream');
    assert.equal(record.status, 200, 'record.status');
    assert.equal(record.keyId, tg.keyId, 'record.keyId');
    assert.equal(record.accountId, tg.accountIds[0], 'record.accountId');
  });

  it('records usage of a streamed answer', async () => {
    const h = context.harness();
    const fake = await h.upstream((_req, res) => suite.upstream.stream(res));
    const tg = await h.gateway([fake.url]);
    const res = await h.send(tg, 'stream');
    assert.equal(res.status, 200, res.text().slice(0, 200));

    const [record] = await h.usageRecords(tg);
    assert.ok(record);
    assertUsage(record, suite.expectedUsage);
    assert.equal(record.stream, true, 'record.stream');
    assert.equal(record.accountId, tg.accountIds[0], 'record.accountId');
  });
}
