/**
 * Each chat target against a fake of its service on 127.0.0.1: the request it makes
 * (path, body shape, signature) and how it reads the answer (errors reported inside a 200).
 */
import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '@switchyard/core/testing';
import { notificationTargetSchema } from '../../src/notifications/notification-config-schema.js';
import type { NotificationEvent } from '../../src/notifications/notification-event.js';
import { createSender } from '../../src/notifications/targets/create-sender.js';
import { DeliveryError } from '../../src/notifications/delivery-error.js';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const EVENT: NotificationEvent = {
  id: 'ev-1',
  event: 'account.rate_limited',
  at: '2026-03-01T12:00:00.000Z',
  data: { account: 'acc-1', name: 'Main', status: 429 },
};

describe('notifications: chat targets', () => {
  let service: FakeUpstream;
  let answer: { status: number; body: unknown };
  before(async () => {
    service = await startFakeUpstream((_req, res) => {
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
    });
  });
  after(() => service.close());
  beforeEach(() => {
    service.requests.length = 0;
    answer = { status: 200, body: {} };
  });

  const send = async (config: Record<string, unknown>): Promise<RecordedRequest> => {
    await createSender(notificationTargetSchema.parse({ id: 't', ...config }), 5000, () => NOW).send(EVENT);
    expect(service.requests).to.have.length(1);
    return service.requests[0]!;
  };
  const failure = async (config: Record<string, unknown>): Promise<DeliveryError> => {
    try {
      await createSender(notificationTargetSchema.parse({ id: 't', ...config }), 5000, () => NOW).send(EVENT);
    } catch (error) {
      expect(error).to.be.instanceOf(DeliveryError);
      return error as DeliveryError;
    }
    throw new Error('the send did not fail');
  };

  it('slack: {"text"} to the incoming webhook URL', async () => {
    answer = { status: 200, body: 'ok' };
    const request = await send({ type: 'slack', url: `${service.url}/services/T0/B0/xyz` });
    expect(request.path).to.equal('/services/T0/B0/xyz');
    const { text } = request.json<{ text: string }>();
    expect(text).to.match(/^\*\[Switchyard\] Account rate-limited\*\n/);
    expect(text).to.include('account: acc-1').and.include('event: account.rate_limited');
  });

  it('discord: {"content"} of at most 2000 characters', async () => {
    answer = { status: 204, body: '' };
    const request = await send({ type: 'discord', url: `${service.url}/api/webhooks/1/abc` });
    const { content } = request.json<{ content: string }>();
    expect(content).to.match(/^\*\*\[Switchyard\] Account rate-limited\*\*/);
    expect(content.length).to.be.at.most(2000);
  });

  it('telegram: sendMessage with the bot token in the path; ok:false is a refusal', async () => {
    answer = { status: 200, body: { ok: true, result: {} } };
    const request = await send({ type: 'telegram', botToken: '123:SECRET', chatId: -1001, apiBaseUrl: service.url });
    expect(request.path).to.equal('/bot123:SECRET/sendMessage');
    expect(request.json()).to.deep.include({ chat_id: -1001 });
    service.requests.length = 0;
    answer = { status: 200, body: { ok: false, description: 'chat not found' } };
    const error = await failure({ type: 'telegram', botToken: '123:SECRET', chatId: 'x', apiBaseUrl: service.url });
    expect(error.retryable).to.equal(false);
    expect(error.message).to.include('chat not found').and.not.include('SECRET');
  });

  it('feishu: signed with HMAC-SHA256 keyed by timestamp + "\\n" + secret over an empty message', async () => {
    answer = { status: 200, body: { code: 0, msg: 'success' } };
    const request = await send({ type: 'feishu', url: `${service.url}/open-apis/bot/v2/hook/abc`, secret: 'fs-secret' });
    const body = request.json<{ timestamp: string; sign: string; msg_type: string; content: { text: string } }>();
    const timestamp = String(Math.floor(NOW / 1000));
    expect(body.timestamp).to.equal(timestamp);
    expect(body.sign).to.equal(createHmac('sha256', `${timestamp}\nfs-secret`).digest('base64'));
    expect(body.msg_type).to.equal('text');
    expect(body.content.text).to.match(/^\[Switchyard\] Account rate-limited\n/);
    service.requests.length = 0;
    answer = { status: 200, body: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } };
    const error = await failure({ type: 'feishu', url: service.url, secret: 'wrong' });
    expect(error.retryable).to.equal(false);
    expect(error.message).to.include('19021');
  });

  it('dingtalk: timestamp and URL-encoded sign as query parameters', async () => {
    answer = { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    const request = await send({ type: 'dingtalk', url: `${service.url}/robot/send?access_token=tok`, secret: 'SEC-dd' });
    expect(request.query.get('access_token')).to.equal('tok');
    expect(request.query.get('timestamp')).to.equal(String(NOW));
    const expected = createHmac('sha256', 'SEC-dd').update(`${NOW}\nSEC-dd`).digest('base64');
    expect(request.query.get('sign')).to.equal(expected);
    expect(request.url).to.include(`sign=${encodeURIComponent(expected)}`);
    expect(request.json()).to.deep.include({ msgtype: 'text' });
    service.requests.length = 0;
    answer = { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } };
    expect((await failure({ type: 'dingtalk', url: service.url, secret: 'SEC-dd' })).retryable).to.equal(true);
  });

  it('wecom: {msgtype: text}; errcode other than 0 fails', async () => {
    answer = { status: 200, body: { errcode: 0, errmsg: 'ok' } };
    const request = await send({ type: 'wecom', url: `${service.url}/cgi-bin/webhook/send?key=k1` });
    expect(request.query.get('key')).to.equal('k1');
    expect(request.json<{ text: { content: string } }>().text.content).to.include('account: acc-1');
    service.requests.length = 0;
    answer = { status: 200, body: { errcode: 93000, errmsg: 'invalid webhook url' } };
    expect((await failure({ type: 'wecom', url: service.url })).retryable).to.equal(false);
  });

  it('bark: POST /push with the device key, title and body', async () => {
    answer = { status: 200, body: { code: 200, message: 'success' } };
    const request = await send({ type: 'bark', deviceKey: 'dev-key', serverUrl: `${service.url}/`, group: 'switchyard' });
    expect(request.path).to.equal('/push');
    expect(request.json()).to.deep.include({
      device_key: 'dev-key',
      title: '[Switchyard] Account rate-limited',
      group: 'switchyard',
    });
    service.requests.length = 0;
    answer = { status: 200, body: { code: 400, message: 'failed to get device token' } };
    expect((await failure({ type: 'bark', deviceKey: 'nope', serverUrl: service.url })).retryable).to.equal(false);
  });

  it('a 5xx of any service is retryable, and a service that is down too', async () => {
    answer = { status: 502, body: {} };
    expect((await failure({ type: 'slack', url: service.url })).retryable).to.equal(true);
    const down = await failure({ type: 'discord', url: 'http://127.0.0.1:1/api/webhooks/1/abc' });
    expect(down.retryable).to.equal(true);
    expect(down.message).to.include('not reached').and.not.include('/api/webhooks');
  });
});
