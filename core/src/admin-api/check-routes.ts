/**
 * Account checks: an account's check history and policy, "check now" (recorded like a
 * scheduled check, and subject to the same failure policy) and the account's own
 * policy (interval, what a failure does).
 */
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import type { AdminDeps } from './admin-deps.js';
import {
  accountCheckHistoryQuerySchema,
  accountCheckHistorySchema,
  accountCheckPolicyPatchSchema,
  accountCheckSchema,
  accountCheckStatusSchema,
} from './account-check-schemas.js';
import { checkStatuses, checkView } from './account-check-views.js';

async function statusOf(deps: AdminDeps, id: string) {
  const account = found(await deps.accounts.get(id), 'account');
  return (await checkStatuses(deps, [account])).get(id)!;
}

/** Account check routes. */
export const checkRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/accounts/:id/checks',
    id: 'listAccountChecks',
    tag: 'accounts',
    summary: "The account's check policy, latest check and check history (newest first, the last 100 are kept)",
    query: accountCheckHistoryQuerySchema,
    response: accountCheckHistorySchema,
    async handle({ params, query, deps }) {
      const status = await statusOf(deps, params['id']!);
      const history = await deps.accountChecks.history(params['id']!, query.limit);
      return { status, history: history.map(checkView) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/accounts/:id/checks',
    id: 'checkAccountNow',
    tag: 'accounts',
    summary: "Check the account now with its type's probe; recorded in its history and subject to its failure policy",
    response: accountCheckSchema,
    async handle({ params, deps, admin }) {
      const outcome = await deps.accountChecks.run(params['id']!, 'manual');
      if (outcome.status === 'no-account') throw new AdminApiError('not_found', 'account not found');
      if (outcome.status === 'no-account-type') throw new AdminApiError('not_found', 'account type not found');
      if (outcome.status === 'no-probe') throw new AdminApiError('invalid_request', `Account type ${outcome.type} has no probe.`);
      deps.log.info('account checked', { accountId: params['id'], by: admin, ok: outcome.entry.ok });
      return checkView(outcome.entry);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/accounts/:id/check-policy',
    id: 'setAccountCheckPolicy',
    tag: 'accounts',
    summary: "Set the account's own check interval and failure action (null: back to the default), on every instance",
    body: accountCheckPolicyPatchSchema,
    response: accountCheckStatusSchema,
    async handle({ params, body, deps, admin }) {
      found(await deps.accounts.get(params['id']!), 'account');
      await deps.accountChecks.setPolicy(params['id']!, body);
      deps.log.info('account check policy changed', { accountId: params['id'], fields: Object.keys(body), by: admin });
      return statusOf(deps, params['id']!);
    },
  }),
];
