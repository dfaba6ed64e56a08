import { expect } from 'chai';
import { createTestGateway, sendRequest, waitFor } from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';

describe('graceful shutdown', () => {
  it('lets an in-flight stream finish, releases its leases, and stops accepting connections', async () => {
    const upstream = await startTickUpstream({ intervalMs: 40 });
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      config: { server: { shutdownTimeoutMs: 10_000 } },
    });
    try {
      let chunks = 0;
      const streaming = sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true, count: 20 },
        onChunk: () => void (chunks += 1),
      });
      await waitFor(() => (chunks >= 1 ? true : undefined));
      const closing = tg.gateway.close();
      const res = await streaming;
      expect(res.aborted).to.equal(false);
      expect(res.text()).to.contain('data: {"n":20}');
      await closing;
      await sendRequest(`${tg.url}/health`, { timeoutMs: 2000 }).then(
        () => expect.fail('the gateway still accepted a connection after close()'),
        (error: Error) => expect(error.message).to.match(/ECONNREFUSED/),
      );
    } finally {
      await tg.close();
      await upstream.close();
    }
  });

  it('cuts streams that outlive the shutdown timeout, aborting their upstream calls', async () => {
    const upstream = await startTickUpstream({ intervalMs: 100 });
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      config: { server: { shutdownTimeoutMs: 300 } },
    });
    try {
      let chunks = 0;
      const streaming = sendRequest(`${tg.url}/tick/v1/ticks`, {
        headers: { 'x-api-key': tg.key },
        body: { model: 'tick-1', stream: true, count: 1000 },
        onChunk: () => void (chunks += 1),
      }).catch(() => ({ aborted: true }));
      await waitFor(() => (chunks >= 1 ? true : undefined));
      const started = Date.now();
      await tg.gateway.close();
      expect(Date.now() - started).to.be.lessThan(3000);
      expect((await streaming).aborted).to.equal(true);
      await upstream.waitForAbort();
    } finally {
      await tg.close();
      await upstream.close();
    }
  });
});
