/**
 * The chat services whose incoming webhook takes a plain JSON text message and answers
 * a 2xx when it took it: Slack (`{"text"}`), Discord (`{"content"}`, at most 2000
 * characters) and Bark (`POST <server>/push` with the device key).
 */
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationEvent } from '../notification-event.js';
import { formatMessage } from '../notification-message.js';
import { DeliveryError } from '../delivery-error.js';
import { clip, type NotificationSender, type SenderContext } from './notification-sender.js';
import { postJson } from './post-json.js';

export function slackSender(target: Extract<NotificationTarget, { type: 'slack' }>, context: SenderContext): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      await postJson({ url: target.url, body: { text: `*${title}*\n${text}` }, ...context, target: context.label });
    },
  };
}

export function discordSender(
  target: Extract<NotificationTarget, { type: 'discord' }>,
  context: SenderContext,
): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      await postJson({
        url: target.url,
        body: { content: clip(`**${title}**\n${text}`, 2000) },
        ...context,
        target: context.label,
      });
    },
  };
}

export function barkSender(target: Extract<NotificationTarget, { type: 'bark' }>, context: SenderContext): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      const answer = (await postJson({
        url: `${target.serverUrl.replace(/\/+$/, '')}/push`,
        body: { device_key: target.deviceKey, title, body: text, ...(target.group ? { group: target.group } : {}) },
        ...context,
        target: context.label,
      })) as { code?: unknown; message?: unknown } | string;
      if (typeof answer === 'object' && answer !== null && typeof answer.code === 'number' && answer.code !== 200) {
        throw new DeliveryError(`${context.label}: refused (${answer.code} ${String(answer.message ?? '')})`, false);
      }
    },
  };
}
