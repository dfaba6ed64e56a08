/**
 * E-mail over SMTP with nodemailer: one message per event to the target's recipients,
 * TLS from the start when `secure`, else STARTTLS when the server offers it. A 5xx SMTP
 * answer (recipient refused, authentication failed) is not retried; others are.
 */
import type { Transporter } from 'nodemailer';
import type { NotificationTarget } from '../notification-config-schema.js';
import type { NotificationEvent } from '../notification-event.js';
import { formatMessage } from '../notification-message.js';
import { DeliveryError } from '../delivery-error.js';
import type { NotificationSender, SenderContext } from './notification-sender.js';

export function emailSender(target: Extract<NotificationTarget, { type: 'email' }>, context: SenderContext): NotificationSender {
  // nodemailer is loaded with the first message, not at start (most gateways send no e-mail).
  let transport: Promise<Transporter> | undefined;
  const createTransport = async () =>
    (await import('nodemailer')).default.createTransport({
      host: target.host,
      port: target.port,
      secure: target.secure,
      ...(target.user ? { auth: { user: target.user, pass: target.password ?? '' } } : {}),
      connectionTimeout: context.timeoutMs,
      greetingTimeout: context.timeoutMs,
      socketTimeout: context.timeoutMs,
    });
  return {
    async send(event: NotificationEvent) {
      const { title, text } = formatMessage(event);
      try {
        await (await (transport ??= createTransport())).sendMail({ from: target.from, to: target.to, subject: title, text });
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const permanent = code !== undefined && code >= 500;
        throw new DeliveryError(`${context.label}: ${(error as Error).message}`, !permanent);
      }
    },
  };
}
