/**
 * Telegram: the Bot API's `sendMessage` (`<apiBaseUrl>/bot<token>/sendMessage`) to one
 * chat. The token is part of the URL, so errors name the target, never the URL.
 */
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationEvent } from '../notification-event.js';
import { formatMessage } from '../notification-message.js';
import { DeliveryError } from '../delivery-error.js';
import { clip, type NotificationSender, type SenderContext } from './notification-sender.js';
import { postJson } from './post-json.js';

export function telegramSender(
  target: Extract<NotificationTarget, { type: 'telegram' }>,
  context: SenderContext,
): NotificationSender {
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      const answer = (await postJson({
        url: `${target.apiBaseUrl.replace(/\/+$/, '')}/bot${target.botToken}/sendMessage`,
        body: { chat_id: target.chatId, text: clip(`${title}\n${text}`, 4000), disable_web_page_preview: true },
        ...context,
        target: context.label,
      })) as { ok?: unknown; description?: unknown };
      if (answer?.ok !== true)
        throw new DeliveryError(`${context.label}: refused (${String(answer?.description ?? 'not ok')})`, false);
    },
  };
}
