/**
 * The chat robots that answer 200 with an error code inside, two of them signed:
 * - Feishu/Lark custom bot: `{timestamp, sign, msg_type, content}`, where `sign` is the
 *   base64 HMAC-SHA256 of an empty message keyed with `timestamp + "\n" + secret`
 *   (timestamp in seconds); success is `code` 0.
 * - DingTalk robot: `timestamp` (ms) and `sign` (base64 HMAC-SHA256 of
 *   `timestamp + "\n" + secret` keyed with the secret, URL-encoded) as query parameters;
 *   success is `errcode` 0 (130101: sending too fast, retried).
 * - WeCom (WeChat Work) group robot: `{msgtype: "text", text: {content}}`; success is
 *   `errcode` 0 (45009: rate limited, retried).
 */
import { createHmac } from 'node:crypto';
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationEvent } from '../notification-event.js';
import { formatMessage } from '../notification-message.js';
import { DeliveryError } from '../delivery-error.js';
import { clip, type NotificationSender, type SenderContext } from './notification-sender.js';
import { postJson } from './post-json.js';

/** Feishu's `sign` for `timestampSeconds`. */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** DingTalk's `sign` for `timestampMs` (before URL encoding). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

function checkCode(label: string, code: unknown, message: unknown, retryableCodes: readonly number[]): void {
  if (code === undefined || code === 0) return;
  throw new DeliveryError(`${label}: refused (${String(code)} ${String(message ?? '')})`, retryableCodes.includes(Number(code)));
}

type Answer = { code?: unknown; msg?: unknown; StatusCode?: unknown; errcode?: unknown; errmsg?: unknown } | undefined;

export function feishuSender(
  target: Extract<NotificationTarget, { type: 'feishu' }>,
  context: SenderContext,
  now: () => number,
): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      const timestamp = Math.floor(now() / 1000);
      const body = {
        ...(target.secret ? { timestamp: String(timestamp), sign: feishuSign(target.secret, timestamp) } : {}),
        msg_type: 'text',
        content: { text: clip(`${title}\n${text}`, 4000) },
      };
      const answer = (await postJson({ url: target.url, body, ...context, target: context.label })) as Answer;
      checkCode(context.label, answer?.code ?? answer?.StatusCode, answer?.msg, [11232]);
    },
  };
}

export function dingtalkSender(
  target: Extract<NotificationTarget, { type: 'dingtalk' }>,
  context: SenderContext,
  now: () => number,
): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      let url = target.url;
      if (target.secret) {
        const timestamp = now();
        const query = `timestamp=${timestamp}&sign=${encodeURIComponent(dingtalkSign(target.secret, timestamp))}`;
        url += `${url.includes('?') ? '&' : '?'}${query}`;
      }
      const body = { msgtype: 'text', text: { content: clip(`${title}\n${text}`, 4000) } };
      const answer = (await postJson({ url, body, ...context, target: context.label })) as Answer;
      checkCode(context.label, answer?.errcode, answer?.errmsg, [130101]);
    },
  };
}

export function wecomSender(target: Extract<NotificationTarget, { type: 'wecom' }>, context: SenderContext): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      const body = { msgtype: 'text', text: { content: clip(`${title}\n${text}`, 2000) } };
      const answer = (await postJson({ url: target.url, body, ...context, target: context.label })) as Answer;
      checkCode(context.label, answer?.errcode, answer?.errmsg, [45009]);
    },
  };
}
