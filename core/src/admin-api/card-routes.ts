/**
 * Quota cards: create a batch (the codes are in that answer only), list batches with
 * their counts, one batch with its cards, revoke a card or every unused card of a batch,
 * and the audited redemptions. Hashes never leave the server: answers are parsed through
 * the schemas in card-schemas.ts.
 */
import { z } from 'zod';
import { CardInputError } from '../cards/card-input-error.js';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import {
  cardBatchDetailSchema,
  cardBatchSummarySchema,
  cardRedemptionQuerySchema,
  cardRedemptionSchema,
  cardViewSchema,
  createCardBatchSchema,
  createdCardBatchSchema,
  cardBatchSchema,
} from './card-schemas.js';

/** Quota card routes. */
export const cardRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/cards/batches',
    id: 'listCardBatches',
    tag: 'cards',
    summary: 'Every batch of quota cards, with how many are unused, redeemed, revoked, expired',
    response: z.array(cardBatchSummarySchema),
    async handle({ deps }) {
      return deps.cards.listBatches();
    },
  }),
  defineRoute({
    method: 'post',
    path: '/cards/batches',
    id: 'createCardBatch',
    tag: 'cards',
    summary: 'Create a batch of quota cards; the answer holds the codes, shown this once',
    status: 201,
    body: createCardBatchSchema,
    response: createdCardBatchSchema,
    async handle({ body, deps, admin }) {
      try {
        return await deps.cards.createBatch(body, admin);
      } catch (error) {
        if (error instanceof CardInputError) throw new AdminApiError('invalid_request', 'Invalid input.', [...error.problems]);
        throw error;
      }
    },
  }),
  defineRoute({
    method: 'get',
    path: '/cards/batches/:id',
    id: 'getCardBatch',
    tag: 'cards',
    summary: 'One batch with its cards (hints only, never the codes)',
    response: cardBatchDetailSchema,
    async handle({ params, deps }) {
      return found(await deps.cards.getBatch(params['id']!), 'card batch');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/cards/batches/:id/revoke',
    id: 'revokeCardBatch',
    tag: 'cards',
    summary: 'Revoke every unused card of a batch (redeemed cards stay redeemed)',
    response: z.object({ batch: cardBatchSchema, revoked: z.number() }),
    async handle({ params, deps, admin }) {
      return found(await deps.cards.revokeBatch(params['id']!, admin), 'card batch');
    },
  }),
  defineRoute({
    method: 'post',
    path: '/cards/:id/revoke',
    id: 'revokeCard',
    tag: 'cards',
    summary: 'Revoke an unused card; a redeemed card cannot be revoked (409)',
    response: cardViewSchema,
    async handle({ params, deps, admin }) {
      const result = await deps.cards.revokeCard(params['id']!, admin);
      if (result.outcome === 'missing') throw new AdminApiError('not_found', 'card not found');
      if (result.outcome === 'redeemed') {
        throw new AdminApiError('conflict', "This card was redeemed already; change the key's limits instead.");
      }
      deps.log.info('quota card revoked', { cardId: result.card.id, by: admin });
      return { ...result.card, status: 'revoked' as const };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/cards/redemptions',
    id: 'listCardRedemptions',
    tag: 'cards',
    summary: 'Audited redemptions, newest first: which card, which key, when, from which IP, what changed',
    query: cardRedemptionQuerySchema,
    response: z.array(cardRedemptionSchema),
    async handle({ query, deps }) {
      return deps.cards.listRedemptions({
        ...(query.keyId === undefined ? {} : { keyId: query.keyId }),
        ...(query.batchId === undefined ? {} : { batchId: query.batchId }),
        ...(query.limit === undefined ? {} : { limit: query.limit }),
      });
    },
  }),
];
