/**
 * Delivery: retries with a doubling backoff on the injected clock, then dropped with a
 * log line; a refused send is not retried; per-target event selection.
 */
import { expect } from 'chai';
import { ManualClock, startFakeUpstream, type FakeUpstream } from '@switchyard/core/testing';
import { NotificationDispatcher } from '../../src/notifications/notification-dispatcher.js';
import { notificationTargetSchema, type NotificationTarget } from '../../src/notifications/notification-config-schema.js';
import type { NotificationEvent } from '../../src/notifications/notification-event.js';
import { captureLogger } from '../auth/capture-logger.js';

const EVENT: NotificationEvent = {
  id: 'e-1',
  event: 'account.rate_limited',
  at: '2026-01-01T00:00:00.000Z',
  data: { account: 'a' },
};

describe('notifications: delivery', () => {
  let receiver: FakeUpstream;
  let statuses: number[];
  before(async () => {
    receiver = await startFakeUpstream((_req, res) => {
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  after(() => receiver.close());
  beforeEach(() => {
    receiver.requests.length = 0;
  });

  const target = (extra: Record<string, unknown> = {}): NotificationTarget =>
    notificationTargetSchema.parse({ id: 'hook', type: 'webhook', url: receiver.url, ...extra });
  const setup = () => {
    const clock = new ManualClock();
    const { log, lines } = captureLogger();
    const dispatcher = new NotificationDispatcher({ clock, log, retry: { attempts: 3, backoffMs: 1000, timeoutMs: 5000 } });
    return { clock, lines, dispatcher };
  };

  it('retries a failed send after 1 s, then 2 s, and delivers', async () => {
    const { clock, lines, dispatcher } = setup();
    statuses = [503, 500, 200];
    dispatcher.deliver([target()], EVENT);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(1);
    await clock.advance(999);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(1);
    await clock.advance(1);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(2);
    await clock.advance(1999);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(2);
    await clock.advance(1);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(3);
    expect(lines.filter((line) => line.message === 'notification sent')).to.have.length(1);
    expect(receiver.requests.map((request) => request.headers['x-switchyard-event-id'])).to.deep.equal(['e-1', 'e-1', 'e-1']);
  });

  it('drops the event with a log line after the last attempt', async () => {
    const { clock, lines, dispatcher } = setup();
    statuses = [500, 500, 500, 500];
    dispatcher.deliver([target()], EVENT);
    await dispatcher.idle();
    await clock.advance(60_000);
    await dispatcher.idle();
    await clock.advance(60_000);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(3);
    const dropped = lines.filter((line) => line.message === 'notification dropped');
    expect(dropped).to.have.length(1);
    expect(dropped[0]!.level).to.equal('warn');
    expect(dropped[0]!.fields).to.include({ target: 'hook', event: 'account.rate_limited', eventId: 'e-1', attempt: 3 });
    expect(String(dropped[0]!.fields!.reason)).to.match(/answered 500/);
    expect(JSON.stringify(lines)).to.not.include(receiver.url);
  });

  it('does not retry a refused send (4xx other than 408 and 429)', async () => {
    const { clock, lines, dispatcher } = setup();
    statuses = [400];
    dispatcher.deliver([target()], EVENT);
    await dispatcher.idle();
    await clock.advance(60_000);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(1);
    expect(lines.find((line) => line.message === 'notification dropped')?.fields).to.include({ retryable: false, attempt: 1 });
  });

  it('retries a 429', async () => {
    const { clock, dispatcher } = setup();
    statuses = [429, 200];
    dispatcher.deliver([target()], EVENT);
    await dispatcher.idle();
    await clock.advance(1000);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(2);
  });

  it('sends only the events a target selected, and nothing to a disabled target', async () => {
    const { dispatcher } = setup();
    statuses = [];
    dispatcher.deliver(
      [
        target({ id: 'keys-only', events: ['key.*'] }),
        target({ id: 'exact', events: ['account.rate_limited'] }),
        target({ id: 'prefix', events: ['account.*'] }),
        target({ id: 'all' }),
        target({ id: 'off', enabled: false }),
        target({ id: 'other', events: ['account.recovered', 'gateway.error'] }),
      ],
      EVENT,
    );
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(3);
  });

  it('stops retrying when closed', async () => {
    const { clock, dispatcher } = setup();
    statuses = [500, 200];
    dispatcher.deliver([target()], EVENT);
    await dispatcher.idle();
    dispatcher.close();
    await clock.advance(60_000);
    await dispatcher.idle();
    expect(receiver.requests).to.have.length(1);
  });
});
