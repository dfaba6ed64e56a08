/**
 * User shapes of the admin API: users as admins see them (never a password hash), the
 * portal policy, invites, and what a signed-in user sees of themselves.
 */
import { z } from 'zod';
import { MIN_ADMIN_PASSWORD_LENGTH } from '../auth/admin-bootstrap.js';
import { portalPolicySchema } from '../config/auth-schema.js';
import { keyLimitsSchema } from '../limits/key-limits-schema.js';
import { isoDate } from './common-schemas.js';

/** A user's role. */
export const roleSchema = z.enum(['admin', 'user']);

/** A local username: letters, digits and `. _ @ -`. */
export const usernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ -');

/** A new password. */
export const passwordSchema = z
  .string()
  .min(MIN_ADMIN_PASSWORD_LENGTH, `at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`)
  .max(1024);

/** A user as an admin sees them. */
export const userViewSchema = z.object({
  username: z.string(),
  role: roleSchema,
  source: z.enum(['local', 'ldap']).describe('local: password kept here; ldap: checked by the directory'),
  enabled: z.boolean(),
  displayName: z.string().optional(),
  email: z.string().optional(),
  maxKeys: z.number().int().optional().describe("Most keys the user may hold; absent: the policy's default"),
  keyLimits: keyLimitsSchema.optional().describe("Limits of the keys the user creates; absent: the policy's template"),
  createdAt: isoDate,
  updatedAt: isoDate,
  lastSignInAt: isoDate.optional(),
  keyCount: z.number().int().describe('Keys the user owns'),
});

/** Body of `POST /users`. */
export const createUserSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema.default('user'),
  displayName: z.string().trim().max(200).optional(),
  email: z.string().trim().max(320).optional(),
  maxKeys: z.number().int().min(0).max(1000).optional(),
  keyLimits: keyLimitsSchema.optional(),
});

/** Body of `PATCH /users/:username`; null clears an optional field. */
export const updateUserSchema = z.strictObject({
  role: roleSchema.optional(),
  displayName: z.string().trim().max(200).nullable().optional(),
  email: z.string().trim().max(320).nullable().optional(),
  maxKeys: z.number().int().min(0).max(1000).nullable().optional(),
  keyLimits: keyLimitsSchema.nullable().optional(),
  password: passwordSchema.optional().describe('A new password (local users only); ends their sessions'),
});

/** The portal policy (the config's auth.users, as changed by admins). */
export { portalPolicySchema };

/** Body of `POST /users/invites`. */
export const createInviteSchema = z.strictObject({
  role: roleSchema.default('user'),
  /** How long the link works; default 7 days. */
  validHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(24 * 7),
});

/** An invite link, shown once. */
export const inviteSchema = z.object({
  token: z.string().describe('Shown this once; the link carries it'),
  path: z.string().describe('Where the invited person registers, relative to the gateway, e.g. /admin/register?invite=…'),
  role: roleSchema,
  expiresAt: isoDate,
});

/** Body of `POST /register` (public). */
export const registerSchema = z.strictObject({
  username: usernameSchema,
  password: passwordSchema,
  invite: z.string().min(10).max(200).optional(),
});

/** What a signed-in user sees of themselves and their allowance. */
export const meSchema = z.object({
  username: z.string(),
  role: roleSchema,
  source: z.enum(['local', 'ldap']),
  displayName: z.string().optional(),
  email: z.string().optional(),
  maxKeys: z.number().int(),
  keyCount: z.number().int(),
  keyLimits: keyLimitsSchema.describe('The limits every key you create gets'),
  allowKeyDeletion: z.boolean(),
});

/** Body of `POST /me/keys`: the limits come from the user's allowance, not from the request. */
export const createOwnKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  expiresAt: isoDate.optional(),
});
