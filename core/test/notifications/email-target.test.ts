/**
 * The e-mail target against a real SMTP server on 127.0.0.1 (smtp-server): it signs in
 * with the target's user and password and delivers one message per event; a refused
 * recipient (5xx) is not retried, a server that is down is.
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { notificationTargetSchema } from '../../src/notifications/notification-config-schema.js';
import type { NotificationEvent } from '../../src/notifications/notification-event.js';
import { createSender } from '../../src/notifications/targets/create-sender.js';
import { DeliveryError } from '../../src/notifications/delivery-error.js';

const EVENT: NotificationEvent = {
  id: 'ev-mail',
  event: 'key.quota_warning',
  at: '2026-03-01T12:00:00.000Z',
  data: { key: 'k1', name: 'team', cap: 'daily', percent: 82 },
};

interface Received {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  raw: string;
}

describe('notifications: e-mail target', () => {
  let server: SMTPServer;
  let port: number;
  const received: Received[] = [];

  before(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === 'mailer' && auth.password === 'mail-password') callback(null, { user: auth.username });
        else callback(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith('@nowhere.invalid')) {
          const error = new Error('no such mailbox') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
        } else callback();
      },
      onData(stream, session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((entry) => entry.address),
            user: session.user as string | undefined,
            raw,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const target = (extra: Record<string, unknown> = {}) =>
    notificationTargetSchema.parse({
      id: 'mail',
      type: 'email',
      host: '127.0.0.1',
      port,
      user: 'mailer',
      password: 'mail-password',
      from: 'switchyard@example.test',
      to: ['ops@example.test', 'oncall@example.test'],
      ...extra,
    });

  it('signs in and delivers one message with the event as subject and text', async () => {
    await createSender(target(), 5000, Date.now).send(EVENT);
    expect(received).to.have.length(1);
    const [mail] = received;
    expect(mail!.user).to.equal('mailer');
    expect(mail!.from).to.equal('switchyard@example.test');
    expect(mail!.to).to.deep.equal(['ops@example.test', 'oncall@example.test']);
    expect(mail!.raw).to.match(/^Subject: \[Switchyard\] Key quota almost used\r?$/m);
    expect(mail!.raw).to.include('cap: daily').and.include('percent: 82');
  });

  it('a wrong password or a refused recipient is dropped without retry', async () => {
    const wrong = await createSender(target({ password: 'nope' }), 5000, Date.now)
      .send(EVENT)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(wrong).to.be.instanceOf(DeliveryError);
    expect((wrong as DeliveryError).retryable).to.equal(false);
    expect((wrong as DeliveryError).message).to.not.include('nope');
    const refused = await createSender(target({ to: ['x@nowhere.invalid'] }), 5000, Date.now)
      .send(EVENT)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect((refused as DeliveryError).retryable).to.equal(false);
  });

  it('a server that is down is retryable', async () => {
    const error = await createSender(target({ port: 1 }), 2000, Date.now)
      .send(EVENT)
      .then(
        () => undefined,
        (failure: unknown) => failure,
      );
    expect(error).to.be.instanceOf(DeliveryError);
    expect((error as DeliveryError).retryable).to.equal(true);
  });
});
