/**
 * The config file's `notifications` section: targets (each with the events it wants),
 * retries, and the thresholds of the key events. Secrets are written as `${ENV_VAR}`
 * placeholders (see docs/notifications.md).
 */
import { z } from 'zod';
import { EVENT_PATTERN } from './notification-event.js';

const httpUrl = z.url({ protocol: /^https?$/ });
const secretText = z.string().min(1);

const common = {
  /** Names the target in logs and the admin. */
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore; at most 64'),
  name: z.string().min(1).max(100).optional(),
  enabled: z.boolean().default(true),
  /** Events sent to this target: names, `account.*`-style prefixes or `*` (default). */
  events: z.array(z.string().regex(EVENT_PATTERN, 'an event name, a prefix such as account.*, or *')).default(['*']),
};

/** One target of each kind. */
export const notificationTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...common, type: z.literal('webhook'), url: httpUrl, secret: secretText.optional() }),
  z.strictObject({ ...common, type: z.literal('slack'), url: httpUrl }),
  z.strictObject({ ...common, type: z.literal('discord'), url: httpUrl }),
  z.strictObject({
    ...common,
    type: z.literal('telegram'),
    botToken: secretText,
    chatId: z.union([z.string().min(1), z.number().int()]),
    apiBaseUrl: httpUrl.default('https://api.telegram.org'),
  }),
  z.strictObject({ ...common, type: z.literal('feishu'), url: httpUrl, secret: secretText.optional() }),
  z.strictObject({ ...common, type: z.literal('dingtalk'), url: httpUrl, secret: secretText.optional() }),
  z.strictObject({ ...common, type: z.literal('wecom'), url: httpUrl }),
  z.strictObject({
    ...common,
    type: z.literal('bark'),
    deviceKey: secretText,
    serverUrl: httpUrl.default('https://api.day.app'),
    group: z.string().min(1).optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal('email'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(587),
    /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
    secure: z.boolean().default(false),
    user: z.string().min(1).optional(),
    password: secretText.optional(),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
  }),
]);

/** A validated target. */
export type NotificationTarget = z.infer<typeof notificationTargetSchema>;
/** A target kind. */
export type NotificationTargetType = NotificationTarget['type'];

/** The fields of each kind that are secret: never logged or returned by the admin API, encrypted when stored. */
export const SECRET_TARGET_FIELDS: Record<NotificationTargetType, readonly string[]> = {
  webhook: ['secret'],
  slack: ['url'],
  discord: ['url'],
  telegram: ['botToken'],
  feishu: ['url', 'secret'],
  dingtalk: ['url', 'secret'],
  wecom: ['url'],
  bark: ['deviceKey'],
  email: ['password'],
};

/** The `notifications` section. */
export const notificationsSchema = z.strictObject({
  /** Off: no event is sent (the admin's "send test" still works). */
  enabled: z.boolean().default(true),
  targets: z.array(notificationTargetSchema).default([]),
  /** Tries per target and event: the first, then retries after `backoffMs`, doubling each time. */
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(10).default(4),
      backoffMs: z.number().int().min(1).default(2000),
      /** Longest one send may take. */
      timeoutMs: z.number().int().min(100).default(10_000),
    })
    .prefault({}),
  /** `key.quota_warning` is sent when a key's spend reaches this percentage of a cost cap. */
  quotaWarningPercent: z.number().int().min(1).max(99).default(80),
  /** `key.expiring` is sent this many days before a key expires. */
  keyExpiryDays: z.number().int().min(1).max(365).default(7),
  /** How often keys are checked for expiry. */
  keyExpiryCheckIntervalMs: z.number().int().min(1000).default(3_600_000),
  /** The same gateway error is sent at most once per this window (across instances). */
  gatewayErrorWindowMs: z.number().int().min(1000).default(600_000),
});

/** The validated section. */
export type NotificationsConfig = z.infer<typeof notificationsSchema>;
