/**
 * Issue 14, item 11 (cut streams): an answer the upstream cut after bytes reached the
 * client cannot change its status any more, but it is not a plain success either. Its
 * usage record carries `incomplete: true`, and `switchyard_errors_total` counts it
 * (`kind="upstream_interrupted"`). A complete answer carries no marker.
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
import type { UsageRecord } from '@switchyard/plugin-api';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { parsePrometheusText, sampleValue } from '../metrics/parse-prometheus-text.js';

const METRICS_TOKEN = 'cut-stream-scrape-token-0123456789';

/**
 * A tick upstream that, for a body with `cut: true`, sends the first part of its answer,
 * waits until the test says the client has seen bytes, and destroys its socket.
 */
function cuttingUpstream(clientSawBytes: () => Promise<void>): Promise<FakeUpstream> {
  return startFakeUpstream(async (req, res: http.ServerResponse) => {
    const body = req.json<{ stream?: boolean; cut?: boolean }>();
    if (body.stream) {
      await writeSse(res, [{ data: { n: 1 } }, { data: { n: 2 } }], { end: !body.cut });
      if (!body.cut) return;
    } else if (body.cut) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
      res.write('{"ticks":1,"pad":"');
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ticks: 1, usage: { in: 1, out: 1 } }));
      return;
    }
    await clientSawBytes();
    res.socket?.destroy();
  });
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`security: a stream the upstream cut is recorded as incomplete (${store} store)`, function () {
    this.timeout(20_000);
    let upstream: FakeUpstream;
    let tg: TestGateway;
    let sawBytes: () => void = () => {};
    let bytesSeen: Promise<void> = Promise.resolve();
    const expectBytes = (): void => {
      bytesSeen = new Promise((resolve) => (sawBytes = resolve));
    };

    before(async () => {
      upstream = await cuttingUpstream(() => bytesSeen);
      tg = await createTestGateway({
        plugins: [tickPlugin],
        store,
        accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token-one', baseUrl: upstream.url } }],
        config: { usage: { metrics: { token: METRICS_TOKEN } } },
      });
    });
    after(async () => {
      await tg?.close();
      await upstream?.close();
    });

    /** The record of the one request `send` makes (requests in this suite run one at a time). */
    async function recordOf(send: () => Promise<void>): Promise<UsageRecord> {
      const before = await tg.gateway.store.usage.count({ keyId: tg.keyId });
      await send();
      await waitFor(async () => (await tg.gateway.store.usage.count({ keyId: tg.keyId })) > before, { what: 'the usage record' });
      const [newest] = await tg.gateway.store.usage.list({ keyId: tg.keyId, limit: 1 });
      return newest!;
    }

    function cutRequest(stream: boolean): Promise<UsageRecord> {
      return recordOf(async () => {
        expectBytes();
        const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
          headers: { 'x-api-key': tg.key },
          body: { model: 'tick-1', stream, cut: true },
          onChunk: () => sawBytes(),
        });
        expect(res.status).to.equal(200);
        expect(res.text()).to.match(stream ? /data: \{"n":1\}/ : /^\{"ticks":1,"pad":"/);
      });
    }

    it('marks a streamed answer cut mid-stream', async () => {
      const record = await cutRequest(true);
      expect(record.status).to.equal(200);
      expect(record.incomplete).to.equal(true);
    });

    it('marks a unary answer cut mid-body', async () => {
      const record = await cutRequest(false);
      expect(record.status).to.equal(200);
      expect(record.incomplete).to.equal(true);
    });

    it('leaves complete answers unmarked, and counts the cut ones in switchyard_errors_total', async () => {
      for (const stream of [true, false]) {
        const record = await recordOf(async () => {
          const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
            headers: { 'x-api-key': tg.key },
            body: { model: 'tick-1', stream },
          });
          expect(res.status).to.equal(200);
        });
        expect(record.status).to.equal(200);
        expect(record.incomplete).to.equal(undefined);
      }
      await tg.gateway.flushUsage();
      const res = await sendRequest(`${tg.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(sampleValue(parsePrometheusText(res.text()), 'switchyard_errors_total', { kind: 'upstream_interrupted' })).to.equal(
        2,
      );
    });
  });
}
