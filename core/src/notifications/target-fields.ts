/**
 * What the admin shows of targets: the fields of each kind (for its form), and a target
 * as the admin API returns it, without any secret field's value.
 */
import { SECRET_TARGET_FIELDS, type NotificationTarget, type NotificationTargetType } from './notification-config-schema.js';

/** One field of a target kind's form. */
export interface TargetField {
  name: string;
  kind: 'text' | 'url' | 'number' | 'boolean' | 'list';
  required: boolean;
  secret: boolean;
}

const field = (name: string, kind: TargetField['kind'], required: boolean, type: NotificationTargetType): TargetField => ({
  name,
  kind,
  required,
  secret: SECRET_TARGET_FIELDS[type].includes(name),
});

/** The kind-specific fields (besides id, name, enabled and events), in form order. */
export const TARGET_FIELDS: Record<NotificationTargetType, TargetField[]> = {
  webhook: [field('url', 'url', true, 'webhook'), field('secret', 'text', false, 'webhook')],
  slack: [field('url', 'url', true, 'slack')],
  discord: [field('url', 'url', true, 'discord')],
  telegram: [
    field('botToken', 'text', true, 'telegram'),
    field('chatId', 'text', true, 'telegram'),
    field('apiBaseUrl', 'url', false, 'telegram'),
  ],
  feishu: [field('url', 'url', true, 'feishu'), field('secret', 'text', false, 'feishu')],
  dingtalk: [field('url', 'url', true, 'dingtalk'), field('secret', 'text', false, 'dingtalk')],
  wecom: [field('url', 'url', true, 'wecom')],
  bark: [
    field('deviceKey', 'text', true, 'bark'),
    field('serverUrl', 'url', false, 'bark'),
    field('group', 'text', false, 'bark'),
  ],
  email: [
    field('host', 'text', true, 'email'),
    field('port', 'number', false, 'email'),
    field('secure', 'boolean', false, 'email'),
    field('user', 'text', false, 'email'),
    field('password', 'text', false, 'email'),
    field('from', 'text', true, 'email'),
    field('to', 'list', true, 'email'),
  ],
};

/** A target as the admin API shows it. */
export interface TargetView {
  id: string;
  type: NotificationTargetType;
  name?: string;
  enabled: boolean;
  events: string[];
  /** `config`: from the config file (read-only in the admin); `admin`: added in the admin. */
  source: 'config' | 'admin';
  /** The kind's fields that are not secret. */
  settings: Record<string, unknown>;
  /** The secret fields that are set (their values are never shown). */
  secretsSet: string[];
}

/** `target` without its secrets. */
export function targetView(target: NotificationTarget, source: TargetView['source']): TargetView {
  const settings: Record<string, unknown> = {};
  const secretsSet: string[] = [];
  for (const { name, secret } of TARGET_FIELDS[target.type]) {
    const value = (target as Record<string, unknown>)[name];
    if (value === undefined) continue;
    if (secret) secretsSet.push(name);
    else settings[name] = value;
  }
  return {
    id: target.id,
    type: target.type,
    ...(target.name ? { name: target.name } : {}),
    enabled: target.enabled,
    events: target.events,
    source,
    settings,
    secretsSet,
  };
}
