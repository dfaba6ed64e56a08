import { expect } from 'chai';
import { createTestGateway, sendRequest, type FakeUpstream, type TestGateway } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';
import { openRawRequest } from '../fixtures/raw-http-client.js';

const REQUEST_TIMEOUT_MS = 600;
const HEADERS_TIMEOUT_MS = 400;
// Node checks for expired requests every quarter of the shorter timeout; the rest is slack for a busy machine.
const CUT_WITHIN_MS = REQUEST_TIMEOUT_MS * 1.25 + 1500;
/** A body cap of 10 KB: a stalled 8 KB body that kept its reservation would block the next 6 KB one. */
const BUFFER_CAP_MB = 10 / 1024;

function head(tg: TestGateway, contentLength: number): string {
  return [
    'POST /tick/v1/ticks HTTP/1.1',
    'Host: 127.0.0.1',
    `x-api-key: ${tg.key}`,
    'content-type: application/json',
    `content-length: ${contentLength}`,
    '',
    '',
  ].join('\r\n');
}

for (const store of ['embedded', 'redis'] as const) {
  describe(`receiving a request is bounded in time, streaming a response is not (${store} store)`, () => {
    let upstream: FakeUpstream;
    let tg: TestGateway;

    before(async () => {
      upstream = await startTickUpstream({ intervalMs: 100 });
      tg = await createTestGateway({
        plugins: [tickPlugin],
        store,
        keys: [{ name: 'one-at-a-time', limits: { concurrency: 1 } }],
        accounts: [
          {
            type: 'tick-upstream',
            name: 'one',
            credentials: { token: 'tick-secret-token', baseUrl: upstream.url },
            maxConcurrency: 1,
          },
        ],
        config: {
          server: {
            requestTimeoutMs: REQUEST_TIMEOUT_MS,
            headersTimeoutMs: HEADERS_TIMEOUT_MS,
            maxBufferedBodyMb: BUFFER_CAP_MB,
          },
        },
      });
    });
    after(async () => {
      await tg.close();
      await upstream.close();
    });

    /** A request that needs the key's only slot, the account's only slot and 6 KB of the body cap. */
    async function followUpSucceeds(): Promise<void> {
      const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', count: 1, input: 'x'.repeat(6000) },
        timeoutMs: 3000,
      });
      expect(res.status, res.text()).to.equal(200);
      expect(await tg.gateway.store.leases.count(`key:${tg.keyId}`)).to.equal(0);
      expect(await tg.gateway.store.leases.count(`account:${tg.accountIds[0]}`)).to.equal(0);
    }

    it('answers 408 and closes a connection whose body stalls, within the bound, holding nothing afterwards', async () => {
      const connection = openRawRequest(tg.url, `${head(tg, 8000)}{"model":"tick-1","input":"`, 10_000);
      const answer = await connection.answer;
      expect(answer.closed, 'connection closed by the gateway').to.equal(true);
      expect(answer.status).to.equal(408);
      expect(answer.elapsedMs)
        .to.be.at.least(REQUEST_TIMEOUT_MS - 50)
        .and.below(CUT_WITHIN_MS);
      await followUpSucceeds();
    });

    it('cuts a body that trickles in a byte at a time: the bound is on the whole request, not on silence', async () => {
      const connection = openRawRequest(tg.url, `${head(tg, 8000)}{"model":"tick-1","input":"`, 10_000);
      let sent = 0;
      // One byte every 50 ms, at most 100 of them (5 s), stopping when the gateway hangs up.
      const trickle = setInterval(() => {
        if (sent >= 100 || !connection.write('x')) clearInterval(trickle);
        sent += 1;
      }, 50);
      const answer = await connection.answer;
      clearInterval(trickle);
      expect(answer.closed).to.equal(true);
      expect(answer.status).to.equal(408);
      expect(answer.elapsedMs).to.be.below(CUT_WITHIN_MS);
      expect(sent).to.be.below(100);
      await followUpSucceeds();
    });

    it('answers 408 to headers that never finish, within the headers bound', async () => {
      const answer = await openRawRequest(
        tg.url,
        `POST /tick/v1/ticks HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${tg.key}\r\n`,
        10_000,
      ).answer;
      expect(answer.closed).to.equal(true);
      expect(answer.status).to.equal(408);
      expect(answer.elapsedMs)
        .to.be.at.least(HEADERS_TIMEOUT_MS - 50)
        .and.below(HEADERS_TIMEOUT_MS * 1.25 + 1500);
    });

    it('delivers whole a streamed response that lasts several times the request timeout', async () => {
      const res = await sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true, count: 15 },
        timeoutMs: 10_000,
      });
      expect(res.status).to.equal(200);
      expect(res.aborted).to.equal(false);
      const lasted = res.chunkTimes.at(-1)! - res.chunkTimes[0]!;
      expect(lasted).to.be.above(REQUEST_TIMEOUT_MS * 2);
      for (let n = 1; n <= 15; n += 1) expect(res.text()).to.contain(`data: {"n":${n}}`);
      expect(res.text()).to.contain('"usage":{"in":0,"out":15}');
    });
  });
}
