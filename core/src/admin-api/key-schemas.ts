/**
 * Client key shapes of the admin API. A key's plaintext appears only in the answer that
 * created or regenerated it; its hash never leaves the server.
 */
import { z } from 'zod';
import { keyLimitsSchema } from '../limits/key-limits-schema.js';
import { modelAliasesSchema } from '../keys/model-aliases.js';
import { isoDate, recordId, sourceSchema } from './common-schemas.js';

/**
 * Key limits: the limits module's schema (docs/configuration.md, "Key limits"), so the
 * admin validates exactly what the limit policies enforce.
 */
export { keyLimitsSchema };

/** A key as the admin sees it: a hint instead of the secret. */
export const keyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()),
  owner: z.string().optional(),
  hint: z.string().describe('A safe display form of the key, e.g. sy_3f…9a1c'),
  enabled: z.boolean(),
  limits: keyLimitsSchema,
  source: sourceSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
  expiresAt: isoDate.optional(),
  lastUsedAt: isoDate.optional(),
});

/** Body of `POST /keys`. */
export const createKeySchema = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  tags: z.array(z.string().min(1)).optional(),
  owner: z.string().optional(),
  enabled: z.boolean().optional(),
  expiresAt: isoDate.optional(),
  limits: keyLimitsSchema.optional(),
});

/** Body of `POST /keys/batch`: `count` keys named `<namePrefix>-1` … `<namePrefix>-N`. */
export const batchCreateKeysSchema = createKeySchema.omit({ name: true }).extend({
  namePrefix: z.string().trim().min(1),
  count: z.number().int().min(1).max(100),
});

/** Body of `PATCH /keys/:id`; null clears an optional field. */
export const updateKeySchema = z.strictObject({
  name: z.string().trim().min(1).optional(),
  description: z.string().nullable().optional(),
  tags: z.array(z.string().min(1)).optional(),
  owner: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  expiresAt: isoDate.nullable().optional(),
  limits: keyLimitsSchema.optional(),
});

/** A key with its plaintext: only in the answer that made it. */
export const createdKeySchema = z.object({
  key: keyViewSchema,
  plaintext: z.string().describe('The key itself; shown this once and never again'),
});

/** A group of accounts. */
export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  modelAliases: z.record(z.string(), z.string()).optional().describe('Requested model (id or * pattern) -> served model'),
  source: sourceSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
  accountIds: z.array(z.string()),
});

/** Body of `PUT /groups/:id`. */
export const putGroupSchema = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  /** For keys bound to the group: requested model (id or `*` pattern) -> served model. */
  modelAliases: modelAliasesSchema.optional(),
});

/** Path id of a group. */
export const groupIdSchema = recordId;
