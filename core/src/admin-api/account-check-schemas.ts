/** Shapes of the account checks in the admin API. */
import { z } from 'zod';
import { isoDate, jsonObject } from './common-schemas.js';

const minutes = z.number().int();

/** One recorded check. */
export const accountCheckSchema = z.object({
  at: isoDate,
  ok: z.boolean(),
  message: z.string().optional(),
  latencyMs: z.number().int().nonnegative(),
  details: jsonObject.optional().describe("What the account type's probe reported besides: quota windows, balances, tier"),
  trigger: z.enum(['schedule', 'manual']),
  action: z
    .enum(['paused', 'cooled-down', 'resumed', 'cooldown-cleared'])
    .optional()
    .describe('What the check did to the account: paused or cooled it down, or cleared what an earlier check set'),
});

/** An account's check policy in effect, with the latest check and when the next is due. */
export const accountCheckStatusSchema = z.object({
  intervalMinutes: minutes.describe('Minutes between scheduled checks; 0: none'),
  onFailure: z.enum(['none', 'pause', 'cooldown']),
  cooldownMinutes: minutes,
  ownInterval: z.boolean().describe('True when the account sets its own interval; false: it follows the default'),
  canCheck: z.boolean().describe("False when the account's type has no probe"),
  nextAt: isoDate.optional().describe('When the next scheduled check is due (absent when off)'),
  latest: accountCheckSchema.optional(),
});

/** Answer of `GET /accounts/:id/checks`. */
export const accountCheckHistorySchema = z.object({
  status: accountCheckStatusSchema,
  history: z.array(accountCheckSchema).describe('Newest first; at most 100 are kept per account'),
});

/** Query of `GET /accounts/:id/checks`. */
export const accountCheckHistoryQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

/** Body of `PUT /accounts/:id/check-policy`: fields left out keep their value, `null` returns one to the default. */
export const accountCheckPolicyPatchSchema = z.strictObject({
  intervalMinutes: minutes.min(0).max(10_080).nullable().optional(),
  onFailure: z.enum(['none', 'pause', 'cooldown']).nullable().optional(),
  cooldownMinutes: minutes.min(1).max(10_080).nullable().optional(),
});
