/**
 * The generic webhook: POSTs `{"event","at","data"}` as JSON, signed with the target's
 * secret: `x-switchyard-signature: sha256=<hex HMAC-SHA256 of the exact body>`. The
 * event id (the same for a retry) is in `x-switchyard-event-id`.
 */
import { createHmac } from 'node:crypto';
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationEvent } from '../notification-event.js';
import type { NotificationSender, SenderContext } from './notification-sender.js';
import { postJson } from './post-json.js';

/** The signature header's value for `body` signed with `secret`. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookSender(
  target: Extract<NotificationTarget, { type: 'webhook' }>,
  context: SenderContext,
): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const body = JSON.stringify({ event: event.event, at: event.at, data: event.data });
      const headers: Record<string, string> = { 'x-switchyard-event-id': event.id, 'user-agent': 'Switchyard-Webhook/1' };
      if (target.secret) headers['x-switchyard-signature'] = webhookSignature(target.secret, body);
      await postJson({ url: target.url, body, headers, timeoutMs: context.timeoutMs, target: context.label });
    },
  };
}
