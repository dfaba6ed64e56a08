/**
 * Builds the sender of a configured target, by its kind.
 */
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationSender, SenderContext } from './notification-sender.js';
import { webhookSender } from './webhook-sender.js';
import { barkSender, discordSender, slackSender } from './chat-senders.js';
import { telegramSender } from './telegram-sender.js';
import { dingtalkSender, feishuSender, wecomSender } from './signed-chat-senders.js';
import { emailSender } from './email-sender.js';

/** The sender of `target`; `now` dates the signatures of the signed robots. */
export function createSender(target: NotificationTarget, timeoutMs: number, now: () => number): NotificationSender {
  const context: SenderContext = { timeoutMs, label: `${target.type} target ${target.id}` };
  switch (target.type) {
    case 'webhook':
      return webhookSender(target, context);
    case 'slack':
      return slackSender(target, context);
    case 'discord':
      return discordSender(target, context);
    case 'telegram':
      return telegramSender(target, context);
    case 'feishu':
      return feishuSender(target, context, now);
    case 'dingtalk':
      return dingtalkSender(target, context, now);
    case 'wecom':
      return wecomSender(target, context);
    case 'bark':
      return barkSender(target, context);
    case 'email':
      return emailSender(target, context);
  }
}
