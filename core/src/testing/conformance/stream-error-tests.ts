/**
 * Conformance: a stream upstream cuts after it started reaches the client as far as it
 * came, followed by the route protocol's stream error frame (`renderStreamError`), or
 * simply ended when the protocol has none.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import { STREAM_INTERRUPTED } from '../../relay/stream-interrupted.js';
import type { FakeUpstreamHandler } from '../fake-upstream.js';
import type { SuiteContext } from './conformance-harness.js';

/** Frames upstream writes before the connection is cut. */
const FRAMES_BEFORE_CUT = 2;

/**
 * Runs `write` but cuts the connection shortly after its second write (once those bytes
 * left); later writes and the end are dropped, so the writer finishes quietly.
 */
function cutAfterTwoWrites(write: (res: http.ServerResponse) => Promise<void>): FakeUpstreamHandler {
  return async (_req, res) => {
    const original = res.write.bind(res) as (...args: unknown[]) => boolean;
    let writes = 0;
    res.write = ((...args: unknown[]) => {
      writes += 1;
      if (writes > FRAMES_BEFORE_CUT) return false;
      const result = original(...args);
      if (writes === FRAMES_BEFORE_CUT) setTimeout(() => res.destroy(), 20);
      return result;
    }) as typeof res.write;
    res.end = ((..._args: unknown[]) => res) as typeof res.end;
    await write(res).catch(() => undefined);
  };
}

/** Registers the cut-stream test. */
export function registerStreamErrorTests(context: SuiteContext): void {
  const { suite, it } = context;
  const streamPath = suite.streamRoutePath ?? suite.routePath;

  it("ends a stream upstream cut mid-way with the protocol's stream error frame (or just ends it without renderStreamError)", async () => {
    const h = context.harness();
    const fake = await h.upstream(cutAfterTwoWrites((res) => suite.upstream.stream(res)));
    const tg = await h.gateway([fake.url]);
    const render = h.routeProtocol(tg, streamPath)?.renderStreamError;
    const res = await h.send(tg, 'stream');

    assert.equal(res.status, 200, 'the stream had started: the status stays');
    const written = fake.requests[0]?.response.body();
    assert.ok(written && written.length > 0, 'upstream wrote the first frames');
    const sent = suite.streamTranscoding ? suite.streamTranscoding.clientBytes(written) : written;
    assert.ok(
      res.body.subarray(0, sent.length).equals(sent),
      `the client got what upstream sent before the cut, unchanged: ${res.text().slice(0, 200)}`,
    );
    const tail = res.body.subarray(sent.length).toString('utf8');
    const expected = render ? render({ ...STREAM_INTERRUPTED }) : '';
    assert.equal(tail, expected, 'after the frames upstream sent comes exactly the rendered stream error');
    assert.ok(!tail.includes(suite.secret), 'the stream error shows no credential');
  });
}
