/**
 * Conformance: a client that walks away mid-stream aborts the upstream call, and every
 * lease the request held is released.
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import type { FakeUpstreamHandler } from '../fake-upstream.js';
import { waitFor } from '../wait-for.js';
import type { SuiteContext } from './conformance-harness.js';

/**
 * Runs `write` but keeps the response open after it (its `end` only writes), so the
 * upstream call can only finish because the client went away.
 */
function holdOpen(write: (res: http.ServerResponse) => Promise<void>): FakeUpstreamHandler {
  return async (_req, res) => {
    res.end = ((chunk?: unknown, encoding?: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
        res.write(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      }
      return res;
    }) as typeof res.end;
    await write(res);
  };
}

/** Registers the abort propagation test. */
export function registerAbortTests(context: SuiteContext): void {
  const { suite, it } = context;

  it('aborts the upstream call when the client goes away mid-stream, and releases the leases', async () => {
    const h = context.harness();
    const fake = await h.upstream(holdOpen((res) => suite.upstream.stream(res)));
    const tg = await h.gateway([fake.url]);
    const accountId = tg.accountIds[0]!;

    const controller = new AbortController();
    let firstChunk: () => void = () => {};
    const gotFirstChunk = new Promise<void>((resolve) => {
      firstChunk = resolve;
    });
    const pending = h.send(tg, 'stream', { signal: controller.signal, onChunk: () => firstChunk() });
    let timer: NodeJS.Timeout | undefined;
    const firstChunkLate = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error('no stream frame reached the client within 5 s (is the stream buffered?)')),
        5000,
      );
    });
    try {
      await Promise.race([gotFirstChunk, pending, firstChunkLate]);
    } catch (error) {
      controller.abort();
      throw error;
    } finally {
      clearTimeout(timer);
    }

    const during = await h.leases(tg, accountId);
    assert.ok(during.key >= 1, `a key lease (key:${tg.keyId}) is held while streaming (count ${during.key})`);
    assert.ok(during.account >= 1, `an account lease (account:${accountId}) is held while streaming (count ${during.account})`);

    controller.abort();
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.aborted, true, 'the client left before the end');

    await fake.waitForAbort(5000);
    assert.equal(fake.requests.length, 1, 'no retry after the client left');
    const after = await waitFor(
      async () => {
        const counts = await h.leases(tg, accountId);
        return counts.key === 0 && counts.account === 0 ? counts : undefined;
      },
      { what: 'the key and account leases to be released' },
    ).catch(async (error: unknown) => {
      const counts = await h.leases(tg, accountId);
      throw new Error(`${String(error)}; key leases ${counts.key}, account leases ${counts.account}`);
    });
    assert.deepEqual(after, { key: 0, account: 0 });
  });

  it('aborts the upstream call when the client goes away before upstream answered', async () => {
    const h = context.harness();
    // Upstream never answers: only the client leaving can end this call.
    const fake = await h.upstream(() => undefined);
    const tg = await h.gateway([fake.url]);
    const accountId = tg.accountIds[0]!;

    const controller = new AbortController();
    const pending = h.send(tg, 'stream', { signal: controller.signal }).catch((error: unknown) => error);
    await waitFor(() => fake.requests.length > 0, { timeoutMs: 5000, what: 'the request to reach upstream' });
    controller.abort();
    await pending;

    await fake.waitForAbort(5000);
    await waitFor(
      async () => {
        const counts = await h.leases(tg, accountId);
        return counts.key === 0 && counts.account === 0;
      },
      { what: 'the key and account leases to be released' },
    );
  });
}
