/**
 * Issue 14, item 12: a gateway killed with SIGKILL under load loses no usage record. Every
 * request whose complete answer the client received has exactly one record once the
 * gateway has started again on the same store (the records of the last batch, not yet
 * stored when the process died, come back from the usage journal).
 */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { sendRequest, waitFor, type FakeUpstream } from '@switchyard/core/testing';
import { createStore, type StoreConfig } from '../../src/store/create-store.js';
import { startRedisForTests, type TestRedis } from '../../src/testing/redis-server.js';
import { startGatewayChild } from '../fixtures/start-gateway-child.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';

const KEY = 'sy_crash-usage-key-0123456789abcdef';
/** Concurrent clients, and the most requests the load sends in all (bounded). */
const CLIENTS = 8;
const MAX_REQUESTS = 4000;
/** The kill comes once this many requests completed. */
const KILL_AFTER = 300;

interface LoadResult {
  /** Request ids of the answers the client received completely (status 200, whole body). */
  completed: string[];
}

/** Keeps `CLIENTS` requests in flight until one fails (the gateway died) or the bound is reached. */
async function loadUntilDown(url: string, onCompleted: (count: number) => void): Promise<LoadResult> {
  const completed: string[] = [];
  let sent = 0;
  let down = false;
  const client = async (n: number): Promise<void> => {
    while (!down && sent < MAX_REQUESTS) {
      sent++;
      const stream = (sent + n) % 2 === 0;
      try {
        const res = await sendRequest(`${url}/tick/v1/ticks`, {
          headers: { 'x-api-key': KEY },
          body: { model: 'tick-1', stream, count: 2, input: 'abc' },
          timeoutMs: 10_000,
        });
        const complete =
          res.status === 200 &&
          !res.aborted &&
          (stream ? res.text().includes('"usage"') : res.json<{ ticks?: number }>().ticks === 2);
        if (!complete) {
          down = true;
          continue;
        }
        completed.push(String(res.headers['x-switchyard-request-id']));
        onCompleted(completed.length);
      } catch {
        down = true; // connection refused or reset: the gateway is gone
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
  return { completed };
}

function describeCrash(
  name: string,
  setup: () => Promise<{ store: StoreConfig; journalPath: string; cleanup(): Promise<void> }>,
): void {
  describe(`a gateway killed with SIGKILL under load (${name})`, function () {
    this.timeout(90_000);
    let upstream: FakeUpstream;
    let env: Awaited<ReturnType<typeof setup>>;
    const children: ChildProcess[] = [];

    before(async () => {
      upstream = await startTickUpstream({ intervalMs: 1 });
      env = await setup();
    });
    after(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await upstream?.close();
      await env?.cleanup();
    });

    it('leaves exactly one usage record for every request the client saw complete, once started again', async () => {
      const config = {
        store: env.store,
        security: { encryptionKey: 'crash-usage-encryption-key-0123456789abcdef' },
        accounts: [
          { id: 'tick-a', type: 'tick-upstream', name: 'A', credentials: { token: 'tick-token', baseUrl: upstream.url } },
        ],
        keys: [{ name: 'crash', key: KEY }],
        // The default batching: records wait up to 200 ms in memory before they are stored.
        usage: { journalPath: env.journalPath },
      };
      const first = await startGatewayChild(config);
      children.push(first.child);
      const killed = once(first.child, 'exit');
      let killing = false;
      const load = await loadUntilDown(first.url, (count) => {
        if (count >= KILL_AFTER && !killing) {
          killing = true;
          first.child.kill('SIGKILL');
        }
      });
      await killed;
      expect(load.completed.length).to.be.at.least(KILL_AFTER);

      // Started again on the same store and journal: what the crash left is stored before it serves.
      const second = await startGatewayChild(config);
      children.push(second.child);
      second.child.kill('SIGTERM');
      await once(second.child, 'exit');

      const store = await createStore(env.store);
      try {
        const stored = await store.usage.storedIds(load.completed);
        const missing = load.completed.filter((id) => !stored.has(id));
        expect(missing, `${missing.length} of ${load.completed.length} completed requests have no record`).to.deep.equal([]);
        // Ids are unique in both stores; no record of another request either.
        const records = await store.usage.list({ limit: MAX_REQUESTS + 10 });
        expect(new Set(records.map((r) => r.id)).size).to.equal(records.length);
        expect(records.every((r) => r.keyId !== '' && r.status === 200)).to.equal(true);
      } finally {
        await store.close();
      }
      // Stored and shut down cleanly: nothing is left to replay.
      await waitFor(() => readdirSync(env.journalPath).filter((name) => name.startsWith('usage-journal-')).length === 0, {
        what: 'the journal to be empty',
      });
    });
  });
}

describeCrash('embedded store', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
  return {
    store: { type: 'embedded', path: dir },
    journalPath: dir,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describeCrash('redis store, journal on the local disk', async () => {
  const redis: TestRedis = await startRedisForTests();
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-crash-journal-'));
  return {
    store: { type: 'redis', url: redis.url, prefix: redis.prefix },
    journalPath: dir,
    cleanup: async () => {
      rmSync(dir, { recursive: true, force: true });
      await redis.stop();
    },
  };
});
