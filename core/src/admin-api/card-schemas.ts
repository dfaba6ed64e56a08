/**
 * Quota card shapes of the admin API. A card's code appears only in the answer that
 * created its batch; its hash never leaves the server.
 */
import { z } from 'zod';
import { isoDate } from './common-schemas.js';
import { MAX_BATCH_SIZE } from '../cards/card-service.js';

const usd = z.number().positive().max(1_000_000);
const days = z.number().int().positive().max(36_500);

/** Body of `POST /cards/batches`. */
export const createCardBatchSchema = z
  .strictObject({
    creditUsd: usd.optional().describe("USD added to the key's total cost cap"),
    days: days.optional().describe("Days added to the key's expiry"),
    count: z.number().int().min(1).max(MAX_BATCH_SIZE),
    expiresAt: isoDate.optional().describe("The cards' own expiry: unused cards cannot be redeemed after it"),
    note: z.string().trim().max(200).optional(),
  })
  .refine((body) => body.creditUsd !== undefined || body.days !== undefined, {
    message: 'a card needs creditUsd, days or both',
  });

const cardStatusSchema = z.enum(['unused', 'redeemed', 'revoked', 'expired']);

/** A batch as the admin sees it. */
export const cardBatchSchema = z.object({
  id: z.string(),
  note: z.string().optional(),
  creditUsd: z.number().optional(),
  days: z.number().optional(),
  count: z.number(),
  expiresAt: isoDate.optional(),
  createdBy: z.string(),
  createdAt: isoDate,
  revokedAt: isoDate.optional(),
});

/** A batch with how many of its cards stand where. */
export const cardBatchSummarySchema = cardBatchSchema.extend({
  counts: z.object({ unused: z.number(), redeemed: z.number(), revoked: z.number(), expired: z.number() }),
});

/** A card as the admin sees it: a hint instead of the code. */
export const cardViewSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  hint: z.string().describe('The last group of the code, e.g. SYC-…-4WNB'),
  creditUsd: z.number().optional(),
  days: z.number().optional(),
  expiresAt: isoDate.optional(),
  createdAt: isoDate,
  status: cardStatusSchema,
  revokedAt: isoDate.optional(),
  revokedBy: z.string().optional(),
  redeemedAt: isoDate.optional(),
  redeemedByKey: z.string().optional(),
  redemptionId: z.string().optional(),
});

/** The answer of `POST /cards/batches`: the codes, shown this once. */
export const createdCardBatchSchema = z.object({
  batch: cardBatchSchema,
  codes: z.array(z.string()).describe('The card codes; shown this once and never again'),
});

/** A batch with its cards. */
export const cardBatchDetailSchema = z.object({ batch: cardBatchSchema, cards: z.array(cardViewSchema) });

const termsSnapshotSchema = z.object({
  totalCostUsd: z.number().optional(),
  expiresAt: isoDate.optional(),
  limitsExpiresAt: isoDate.optional(),
  expiresAfterFirstUse: z.string().optional(),
});

/** One audited redemption. */
export const cardRedemptionSchema = z.object({
  id: z.string(),
  cardId: z.string(),
  batchId: z.string(),
  cardHint: z.string(),
  keyId: z.string(),
  keyName: z.string(),
  keyHint: z.string(),
  keyOwner: z.string().optional(),
  creditUsd: z.number().optional(),
  days: z.number().optional(),
  at: isoDate,
  ip: z.string(),
  before: termsSnapshotSchema,
  after: termsSnapshotSchema,
});

/** Query of `GET /cards/redemptions`. */
export const cardRedemptionQuerySchema = z.object({
  keyId: z.string().min(1).optional(),
  batchId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
