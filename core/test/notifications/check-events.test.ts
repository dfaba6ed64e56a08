/**
 * Scheduled account checks and notifications, end to end: a scheduled check that fails
 * sends one `account.check_failed` (however many checks fail in a row), and the first
 * passing check after it one `account.recovered`, to a webhook receiver on 127.0.0.1.
 */
import { expect } from 'chai';
import {
  createTestGateway,
  ManualClock,
  startFakeUpstream,
  waitFor,
  type FakeUpstream,
  type TestGateway,
} from '@switchyard/core/testing';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { statusPlugin } from '../fixtures/status-plugin.js';
import { startStatusUpstream, type StatusUpstream } from '../fixtures/status-upstream.js';

const MINUTE = 60_000;
type Received = { event: string; data: Record<string, unknown> };

describe('notifications: scheduled account checks', function () {
  this.timeout(60_000);
  let receiver: FakeUpstream;
  let upstream: StatusUpstream;
  let tg: TestGateway | undefined;

  before(async () => {
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(200).end();
    });
    upstream = await startStatusUpstream();
  });
  after(async () => {
    await tg?.close();
    await receiver?.close();
    await upstream?.close();
  });

  it('announces a failing scheduled check once, and the recovery once', async () => {
    // Ticks fall on whole minutes of the manual clock.
    const clock = new ManualClock(Math.ceil(Date.now() / MINUTE) * MINUTE);
    tg = await createTestGateway({
      plugins: [tickPlugin, statusPlugin],
      clock,
      config: {
        checks: { intervalMinutes: 1 },
        notifications: { targets: [{ id: 'hook', type: 'webhook', url: receiver.url, events: ['account.*'] }] },
      },
    });
    const gateway = tg;
    await gateway.gateway.createAccount({
      type: 'status-upstream',
      name: 'watched',
      credentials: { token: 'token-watched', baseUrl: upstream.url },
    });
    const checks = () => gateway.logs.filter((line) => line['message'] === 'account checks tick').length;
    const minute = async () => {
      const expected = checks() + 1;
      await clock.advance(MINUTE);
      await waitFor(() => checks() >= expected, { what: `check tick ${expected}`, timeoutMs: 20_000 });
      await gateway.gateway.settled();
    };
    const events = () => receiver.requests.map((request) => request.json<Received>().event);

    upstream.setStatus('token-watched', 503);
    await minute();
    await minute();
    await minute();
    await waitFor(() => events().length >= 1, { what: 'the check_failed event' });
    upstream.setStatus('token-watched', 200);
    await minute();
    await minute();
    await waitFor(() => events().length >= 2, { what: 'the recovered event' });
    expect(events()).to.deep.equal(['account.check_failed', 'account.recovered']);
    expect(receiver.requests[0]!.json<Received>().data).to.include({
      name: 'watched',
      type: 'status-upstream',
      message: 'status answered 503',
    });
  });
});
