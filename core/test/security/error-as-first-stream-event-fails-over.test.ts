/**
 * Issue 14, item 7: an upstream that answers 200 and then reports a failure as the
 * first event of its stream (Anthropic sends `overloaded_error` this way) is treated like
 * the matching HTTP error while nothing reached the client: the account cools down, the
 * failure is recorded with the account's errors, and the request fails over. The
 * protocol's `streamStartError` hook reads the first event (the tick fixture implements
 * it: a first `event: error` frame). Reading it holds nothing back on a normal stream,
 * and a stream whose first event never comes is bounded by the idle timeout.
 */
import type http from 'node:http';
import { expect } from 'chai';
import {
  createTestGateway,
  sendRequest,
  startFakeUpstream,
  waitFor,
  writeSse,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';

const ONE = 'Bearer tick-token-one';

type Behaviour = 'error-first' | 'rate-limited-first' | 'silent' | 'normal' | 'held-after-first';

/**
 * A tick upstream whose behaviour is chosen per account (by its bearer token): account
 * one misbehaves as `behaviour` says, account two always streams normally.
 */
async function startUpstream(): Promise<{ fake: FakeUpstream; behaviour: Behaviour; releaseHeld(): void }> {
  let release: () => void = () => {};
  const state = { behaviour: 'normal' as Behaviour, releaseHeld: () => release() };
  const normal = (res: http.ServerResponse, from: string) =>
    writeSse(res, [{ data: { n: 1, from } }, { data: { n: 2, from } }, { data: { usage: { in: 1, out: 2 } } }]);
  const upstream = await startFakeUpstream(async (req, res) => {
    if (req.headers.authorization !== ONE) return normal(res, 'two');
    switch (state.behaviour) {
      case 'error-first':
        return writeSse(res, [{ event: 'error', data: { code: 'overloaded', message: 'Overloaded' } }]);
      case 'rate-limited-first':
        return writeSse(res, [{ event: 'error', data: { code: 'rate_limited', message: 'Slow down' } }], {
          headers: { 'retry-after': '30' },
        });
      case 'silent':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        return; // never writes an event; the gateway's idle timeout ends it
      case 'held-after-first': {
        const held = new Promise<void>((resolve) => (release = resolve));
        await writeSse(res, [{ data: { n: 1, from: 'one' } }], { end: false });
        await held;
        return writeSse(res, [{ data: { n: 2, from: 'one' } }, { data: { usage: { in: 1, out: 2 } } }]);
      }
      default:
        return normal(res, 'one');
    }
  });
  return Object.assign(state, { fake: upstream });
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`security: an error as the first stream event fails over like the HTTP error (${store} store)`, function () {
    this.timeout(20_000);
    let upstream: Awaited<ReturnType<typeof startUpstream>>;
    let tg: TestGateway;

    before(async () => {
      upstream = await startUpstream();
    });
    after(async () => {
      await upstream?.fake.close();
    });
    afterEach(async () => {
      await tg?.close();
    });

    async function start(accounts: 1 | 2): Promise<{ one: string; two?: string }> {
      tg = await createTestGateway({
        plugins: [tickPlugin],
        store,
        accounts: [
          {
            type: 'tick-upstream',
            name: 'one',
            priority: 10,
            credentials: { token: 'tick-token-one', baseUrl: upstream.fake.url },
          },
          ...(accounts === 2
            ? [
                {
                  type: 'tick-upstream',
                  name: 'two',
                  priority: 20,
                  credentials: { token: 'tick-token-two', baseUrl: upstream.fake.url },
                },
              ]
            : []),
        ],
        config: { server: { timeouts: { idleMs: 400 } } },
      });
      return { one: tg.accountIds[0]!, ...(accounts === 2 ? { two: tg.accountIds[1]! } : {}) };
    }
    const stream = (options: Parameters<typeof sendRequest>[1] = {}) =>
      sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true },
        ...options,
      });
    const stateOf = async (id: string) => (await tg.gateway.store.accountState.getMany([id])).get(id);

    it('fails over to the next account, cools the first down and records its error', async () => {
      upstream.behaviour = 'error-first';
      const { one, two } = await start(2);
      const res = await stream();
      expect(res.status).to.equal(200);
      expect(res.text()).to.contain('"from":"two"').and.not.to.contain('Overloaded').and.not.to.contain('"from":"one"');
      const state = await stateOf(one);
      expect(state?.cooldownKind).to.equal('overloaded');
      expect(state?.coolingDownUntil).to.be.greaterThan(Date.now());
      const errors = (await tg.gateway.store.accountState.recentErrors([one])).get(one) ?? [];
      expect(errors.map((entry) => entry.kind)).to.include('overloaded');
      const [record] = await waitFor(async () => {
        const records = await tg.gateway.store.usage.list({ keyId: tg.keyId });
        return records.length > 0 ? records : undefined;
      });
      expect(record!.accountId).to.equal(two);
      expect(record!.status).to.equal(200);
      expect((await stateOf(two!))?.coolingDownUntil ?? 0).to.be.at.most(Date.now());
    });

    it('answers with the matching HTTP error when no other account can serve, honouring its retry-after', async () => {
      upstream.behaviour = 'rate-limited-first';
      const { one } = await start(1);
      const res = await stream();
      expect(res.status).to.equal(429);
      expect(res.json()).to.deep.equal({ error: { code: 'rate_limited', message: 'Slow down' } });
      const state = await stateOf(one);
      expect(state?.cooldownKind).to.equal('rate_limited');
      expect(state!.coolingDownUntil! - Date.now()).to.be.greaterThan(20_000);
    });

    it('bounds a stream whose first event never comes by the idle timeout, then fails over', async () => {
      upstream.behaviour = 'silent';
      const { one } = await start(2);
      const res = await stream();
      expect(res.status).to.equal(200);
      expect(res.text()).to.contain('"from":"two"');
      expect((await stateOf(one))?.cooldownKind).to.equal('network');
    });

    it('holds nothing back on a normal stream: the first event reaches the client before the upstream sends more', async () => {
      upstream.behaviour = 'held-after-first';
      await start(1);
      let firstSeen = '';
      const res = await stream({
        onChunk(chunk) {
          if (firstSeen) return;
          firstSeen = chunk.toString('utf8');
          // Only now does the upstream go on: a gateway waiting for more than the first event would never answer.
          upstream.releaseHeld();
        },
        timeoutMs: 5000,
      });
      expect(res.status).to.equal(200);
      expect(firstSeen).to.contain('"n":1');
      expect(res.text()).to.contain('"n":2');
    });
  });
}
