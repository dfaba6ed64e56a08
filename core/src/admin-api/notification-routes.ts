/**
 * Notifications: the targets in force (from the config file, read-only here, and those
 * added in the admin), adding, changing and deleting the admin's targets, and "send
 * test". Secret fields are write-only: answers name the secrets that are set, never
 * their values. Stored targets are shared through the store, so every instance sends to
 * them (within 30 s; at once on the instance that saved them).
 */
import { z } from 'zod';
import { AdminApiError } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { okSchema } from './common-schemas.js';
import type { AdminDeps } from './admin-deps.js';
import { NOTIFICATION_EVENTS } from '../notifications/notification-event.js';
import { TARGET_FIELDS, targetView } from '../notifications/target-fields.js';
import { TargetInputError } from '../notifications/stored-targets.js';

const TYPES = Object.keys(TARGET_FIELDS) as [keyof typeof TARGET_FIELDS, ...(keyof typeof TARGET_FIELDS)[]];

const targetViewSchema = z.object({
  id: z.string(),
  type: z.enum(TYPES),
  name: z.string().optional(),
  enabled: z.boolean(),
  events: z.array(z.string()),
  source: z.enum(['config', 'admin']),
  settings: z.record(z.string(), z.unknown()).describe('The non-secret fields of the kind'),
  secretsSet: z.array(z.string()).describe('Secret fields that are set (values are never returned)'),
});

const fieldSchema = z.object({
  name: z.string(),
  kind: z.enum(['text', 'url', 'number', 'boolean', 'list']),
  required: z.boolean(),
  secret: z.boolean(),
});

const notificationsSchema = z.object({
  enabled: z.boolean().describe('False when the config turned notifications off'),
  events: z.array(z.string()).describe('Every event name'),
  fields: z.record(z.string(), z.array(fieldSchema)).describe('The fields of each target kind'),
  targets: z.array(targetViewSchema),
});

/** Body of `PUT /notifications/targets/:id`: the target's fields; a secret left out keeps its stored value. */
const targetInputSchema = z.looseObject({
  type: z.enum(TYPES),
  name: z.string().optional(),
  enabled: z.boolean().optional(),
  events: z.array(z.string()).optional(),
});

async function overview(deps: AdminDeps) {
  const configured = new Set(deps.config.notifications.targets.map((target) => target.id));
  deps.notifications.targets.invalidate();
  const targets = await deps.notifications.targets.all();
  return {
    enabled: deps.config.notifications.enabled,
    events: NOTIFICATION_EVENTS.filter((event) => event !== 'test'),
    fields: TARGET_FIELDS,
    targets: targets.map((target) => targetView(target, configured.has(target.id) ? 'config' : 'admin')),
  };
}

function notFromConfig(deps: AdminDeps, id: string): void {
  if (deps.config.notifications.targets.some((target) => target.id === id)) {
    throw new AdminApiError('conflict', `target ${id} comes from the config file; change it there`);
  }
}

/** Notification routes. */
export const notificationRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/notifications',
    id: 'getNotifications',
    tag: 'notifications',
    summary: 'Notification targets (config and admin), without secrets, and the events and fields they take',
    response: notificationsSchema,
    handle: ({ deps }) => overview(deps),
  }),
  defineRoute({
    method: 'put',
    path: '/notifications/targets/:id',
    id: 'putNotificationTarget',
    tag: 'notifications',
    summary: 'Create or replace a target added in the admin (secrets left out keep their stored value)',
    body: targetInputSchema,
    response: targetViewSchema,
    async handle({ deps, body, params, admin }) {
      const id = params.id!;
      notFromConfig(deps, id);
      try {
        const target = await deps.notificationTargets.put({ ...body, id }, admin);
        deps.notifications.targets.invalidate();
        deps.log.info('notification target saved', { target: id, type: target.type, by: admin });
        return targetView(target, 'admin');
      } catch (error) {
        if (error instanceof TargetInputError)
          throw new AdminApiError('invalid_request', 'invalid notification target', error.problems);
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/notifications/targets/:id',
    id: 'deleteNotificationTarget',
    tag: 'notifications',
    summary: 'Delete a target added in the admin',
    response: okSchema,
    async handle({ deps, params, admin }) {
      const id = params.id!;
      notFromConfig(deps, id);
      if (!(await deps.notificationTargets.delete(id))) throw new AdminApiError('not_found', 'notification target not found');
      deps.notifications.targets.invalidate();
      deps.log.info('notification target deleted', { target: id, by: admin });
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/notifications/targets/:id/test',
    id: 'testNotificationTarget',
    tag: 'notifications',
    summary: 'Send a test event to the target now (one try); says whether it was taken',
    response: z.object({ ok: z.boolean(), error: z.string().optional() }),
    async handle({ deps, params, admin }) {
      const outcome = await deps.notifications.sendTest(params.id!, admin);
      if (!outcome) throw new AdminApiError('not_found', 'notification target not found');
      return outcome;
    },
  }),
];
