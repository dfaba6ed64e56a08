/**
 * End to end: the only account answers 429, then serves again; a webhook receiver on
 * 127.0.0.1 gets one signed `account.rate_limited` and one `account.recovered`, however
 * many requests saw each state.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import {
  createTestGateway,
  ManualClock,
  sendRequest,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startCountingUpstream, type CountingUpstream } from '../limits/fixtures/counting-upstream.js';

const SECRET = 'webhook-secret-for-tests';

function verify(body: Buffer, header: unknown): boolean {
  return header === `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
}

describe('notifications: account events reach a signed webhook', function () {
  this.timeout(20_000);
  let upstream: CountingUpstream;
  let receiver: FakeUpstream;
  let tg: TestGateway;
  const clock = new ManualClock();

  before(async () => {
    upstream = await startCountingUpstream();
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(204).end();
    });
    tg = await createTestGateway({
      plugins: [tickPlugin],
      clock,
      accounts: [{ type: 'tick-upstream', name: 'only', credentials: { token: 'tick-token', baseUrl: upstream.url } }],
      config: {
        notifications: { targets: [{ id: 'ops', type: 'webhook', url: `${receiver.url}/hook`, secret: SECRET }] },
      },
    });
  });
  after(async () => {
    await tg?.close();
    await receiver?.close();
    await upstream?.close();
  });

  const send = (status: number) =>
    sendRequest(`${tg.url}/tick/v1/ticks`, {
      headers: { 'x-api-key': tg.key },
      body: { model: 'tick-1', input: `status-${status}`, status, ...(status === 429 ? { retryAfter: '30' } : {}) },
    });
  const events = () =>
    receiver.requests.map((request) => request.json<{ event: string; at: string; data: Record<string, unknown> }>());

  it('sends one account.rate_limited for repeated 429s and one account.recovered when it serves again', async () => {
    expect((await send(429)).status).to.equal(429);
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length === 1, { what: 'the rate-limited event' });

    // Cooled down, tried again, still 429: the same state, no second message.
    await clock.advance(61_000);
    expect((await send(429)).status).to.equal(429);
    await tg.gateway.settled();
    expect(upstream.inputs).to.deep.equal(['status-429', 'status-429']);

    // Serves again: recovered, once, however many requests it serves.
    await clock.advance(61_000);
    expect((await send(200)).status).to.equal(200);
    await tg.gateway.settled();
    await waitFor(() => receiver.requests.length === 2, { what: 'the recovered event' });
    await clock.advance(10_000);
    expect((await send(200)).status).to.equal(200);
    expect((await send(200)).status).to.equal(200);
    await tg.gateway.settled();

    expect(receiver.requests).to.have.length(2);
    const [limited, recovered] = events();
    const accountId = tg.accountIds[0];
    expect(limited!.event).to.equal('account.rate_limited');
    expect(limited!.data).to.include({
      account: accountId,
      name: 'only',
      type: 'tick-upstream',
      kind: 'rate_limited',
      status: 429,
    });
    expect(limited!.data.retryAfterMs).to.equal(30_000);
    expect(recovered!.event).to.equal('account.recovered');
    expect(recovered!.data).to.include({ account: accountId, previous: 'rate_limited' });
    expect(Date.parse(recovered!.at)).to.equal(clock.now() - 10_000);
    for (const request of receiver.requests) {
      expect(request.path).to.equal('/hook');
      expect(request.headers['content-type']).to.match(/^application\/json/);
      expect(verify(request.body, request.headers['x-switchyard-signature']), 'signature').to.equal(true);
      expect(Object.keys(request.json<object>())).to.deep.equal(['event', 'at', 'data']);
    }
    expect(receiver.requests[0]!.headers['x-switchyard-event-id']).to.not.equal(
      receiver.requests[1]!.headers['x-switchyard-event-id'],
    );
  });

  it('a signature made with another secret does not verify', () => {
    const request = receiver.requests[0]!;
    const forged = `sha256=${createHmac('sha256', 'another-secret').update(request.body).digest('hex')}`;
    expect(forged).to.not.equal(request.headers['x-switchyard-signature']);
    expect(
      verify(Buffer.from(request.text().replace('rate_limited', 'recovered')), request.headers['x-switchyard-signature']),
    ).to.equal(false);
  });
});
