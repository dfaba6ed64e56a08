/**
 * Account shapes of the admin API. Summaries carry the names of the credential fields
 * that are set, never their values.
 */
import { z } from 'zod';
import { isoDate, jsonObject, jsonSchemaObject, recordId, sourceSchema } from './common-schemas.js';
import { accountCheckStatusSchema } from './account-check-schemas.js';
import { accountSchedulingSchema } from './account-scheduling.js';

/** Live scheduler state of an account. */
export const accountStateSchema = z.object({
  coolingDownUntil: isoDate.optional(),
  cooldownKind: z.string().optional(),
  lastUsedAt: isoDate.optional(),
  lastError: z.object({ at: isoDate, kind: z.string(), message: z.string() }).optional(),
  recentErrors: z
    .array(z.object({ at: isoDate, kind: z.string(), message: z.string() }))
    .optional()
    .describe('The latest upstream errors of the account, newest first (at most 20)'),
});

/** An account without secrets, with its live state. */
export const accountSummarySchema = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  priority: z.number().int(),
  groups: z.array(z.string()),
  settings: jsonObject,
  maxConcurrency: z.number().int().optional(),
  hasProxy: z.boolean(),
  proxy: z.string().optional().describe('The proxy URL with its password masked'),
  source: sourceSchema,
  createdAt: isoDate,
  updatedAt: isoDate,
  credentialFields: z.array(z.string()).describe('Names of the credential fields that are set; values are never returned'),
  credentialsReadable: z.boolean(),
  paused: z
    .object({
      at: isoDate,
      reason: z.string().optional(),
      by: z.enum(['check']).optional().describe('`check`: a failed scheduled check paused it (a passing check resumes it)'),
    })
    .optional()
    .describe('Set while the account is paused (left out of scheduling on every instance until resumed)'),
  state: accountStateSchema,
  check: accountCheckStatusSchema.describe("The account's check policy in effect and its latest check (details: quota, balance)"),
  scheduling: accountSchedulingSchema.describe('Scheduling controls in effect (set with PUT /accounts/{id}/scheduling)'),
});

/** Body of `POST /accounts`. */
export const createAccountSchema = z.strictObject({
  id: recordId.optional(),
  type: z.string().min(1),
  name: z.string().trim().min(1),
  credentials: jsonObject,
  settings: jsonObject.optional(),
  priority: z.number().int().min(1).max(100).optional(),
  groups: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  proxy: z.string().optional(),
  maxConcurrency: z.number().int().positive().optional(),
});

/** Body of `PATCH /accounts/:id`: credentials are merged (null removes a field). */
export const updateAccountSchema = z.strictObject({
  name: z.string().trim().min(1).optional(),
  credentials: jsonObject.optional(),
  settings: jsonObject.optional(),
  priority: z.number().int().min(1).max(100).optional(),
  groups: z.array(z.string()).optional(),
  enabled: z.boolean().optional(),
  proxy: z.string().nullable().optional(),
  maxConcurrency: z.number().int().positive().nullable().optional(),
});

/** The answer of an account probe. */
export const probeResultSchema = z.object({
  ok: z.boolean(),
  message: z.string().optional(),
  details: jsonObject.optional(),
});

/** An auth flow an account type offers. */
export const authFlowInfoSchema = z.object({ id: z.string(), label: z.string() });

/** An account type, with JSON Schemas for generated forms (secret fields carry `x-switchyard-secret: true`). */
export const accountTypeSchema = z.object({
  id: z.string(),
  pluginId: z.string(),
  label: z.string(),
  description: z.string().optional(),
  serves: z.array(z.string()),
  credentialsSchema: jsonSchemaObject,
  settingsSchema: jsonSchemaObject,
  secretFields: z.array(z.string()),
  canProbe: z.boolean(),
  authFlows: z.array(authFlowInfoSchema),
});

/** A loaded plugin. */
export const pluginInfoSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  source: z.string(),
  mounts: z.array(z.string()),
  accountTypes: z.array(z.string()),
  protocols: z.array(z.string()),
});

/** The answer of starting an auth flow. */
export const authFlowStartSchema = z.object({
  flowId: z.string(),
  authorizationUrl: z.string().optional(),
  userCode: z.string().optional(),
  verificationUrl: z.string().optional(),
  instructions: z.string().optional(),
  inputSchema: jsonSchemaObject.optional(),
  pollIntervalMs: z.number().optional(),
  expiresAt: isoDate,
});

/** Body of completing an auth flow: the operator's input, and the account to create when done. */
export const authFlowCompleteSchema = z.strictObject({
  input: z.record(z.string(), z.string()).default({}),
  name: z.string().trim().min(1).optional(),
  priority: z.number().int().min(1).max(100).optional(),
  groups: z.array(z.string()).optional(),
  /** When set, the credentials replace this account's instead of creating a new one. */
  accountId: z.string().optional(),
});

/** The answer of completing an auth flow. */
export const authFlowOutcomeSchema = z.object({
  status: z.enum(['pending', 'done']),
  account: accountSummarySchema.optional(),
});
