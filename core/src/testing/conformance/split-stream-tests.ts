/**
 * Conformance: a stream whose frames arrive split across network reads (a few bytes at a
 * time) reaches the client whole and is metered. An adapter that converts its upstream's
 * stream (a body transform, or a stream of its own) must keep an incomplete frame until
 * the rest of it arrives; the core reads the stream's start and taps its usage over the
 * same split pieces.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import type { FakeUpstreamHandler } from '../fake-upstream.js';
import { writeInPieces } from '../write-in-pieces.js';
import type { SuiteContext } from './conformance-harness.js';

/** Bytes per upstream write: small and odd, so frame headers and payloads are cut anywhere. */
const PIECE_BYTES = 13;

/** Lets `write` produce its whole answer, then writes that answer in {@link PIECE_BYTES}-byte pieces. */
function inSmallPieces(write: (res: http.ServerResponse) => Promise<void>): FakeUpstreamHandler {
  return async (_req, res) => {
    const original = { write: res.write, end: res.end };
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding: unknown): void => {
      if (typeof chunk === 'string')
        chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
      else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk));
    };
    res.write = ((chunk: unknown, encoding?: unknown) => {
      keep(chunk, encoding);
      return true;
    }) as typeof res.write;
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      keep(chunk, encoding);
      return res;
    }) as typeof res.end;
    await write(res);
    res.write = original.write;
    res.end = original.end;
    await writeInPieces(res, Buffer.concat(chunks), PIECE_BYTES);
  };
}

/** Registers the split-stream test. */
export function registerSplitStreamTests(context: SuiteContext): void {
  const { suite, it } = context;

  it('relays a stream whose frames arrive split across reads, whole, and records its usage', async () => {
    const h = context.harness();
    const fake = await h.upstream(inSmallPieces((res) => suite.upstream.stream(res)));
    const tg = await h.gateway([fake.url]);
    const res = await h.send(tg, 'stream');

    const upstream = fake.requests[0]?.response;
    assert.ok(upstream, 'the upstream got the request');
    assert.equal(res.status, 200, res.text().slice(0, 200));
    assert.ok(upstream.chunks.length >= 10, `upstream wrote its answer in ${upstream.chunks.length} pieces`);
    const expected = suite.streamTranscoding ? suite.streamTranscoding.clientBytes(upstream.body()) : upstream.body();
    assert.equal(res.text(), expected.toString('utf8'), 'the client got the whole stream (re-encoded when the suite says so)');

    const [record] = await h.usageRecords(tg);
    assert.ok(record, 'a usage record');
    for (const [field, value] of Object.entries(suite.expectedUsage)) {
      if (field === 'raw') continue;
      assert.deepEqual(record.usage[field as keyof typeof record.usage], value, `usage.${field}`);
    }
  });
}
