/**
 * Accounts: generic CRUD over every account type, probe ("test"), pause/resume/reset
 * through the scheduler's account control (state in the store, honoured by every
 * instance), and auth flows.
 * Credentials are write-only: answers list which fields are set, never their values.
 * Accounts the config file declares are read-only here (config-owned.ts), but pause,
 * resume, checks and scheduling controls, kept in the shared settings, work on them too.
 */
import { z } from 'zod';
import { AdminApiError, found } from './admin-api-error.js';
import { defineRoute, type AdminRoute } from './admin-route.js';
import { okSchema } from './common-schemas.js';
import { refuseConfigOwned } from './config-owned.js';
import {
  accountSummarySchema,
  authFlowCompleteSchema,
  authFlowOutcomeSchema,
  authFlowStartSchema,
  createAccountSchema,
  probeResultSchema,
  updateAccountSchema,
} from './account-schemas.js';
import { withState } from './account-views.js';
import type { AdminDeps } from './admin-deps.js';
import { probeAccount } from '../accounts/probe-account.js';

async function one(deps: AdminDeps, id: string) {
  const summary = found(await deps.accounts.get(id), 'account');
  return (await withState(deps, [summary]))[0]!;
}

/** Pause, resume or reset through the scheduler's account control. */
async function control(deps: AdminDeps, id: string, action: 'pause' | 'resume' | 'reset', admin: string) {
  const account = found(await deps.accounts.get(id), 'account');
  if (action === 'pause') {
    await deps.scheduler.control.pause(id, `paused by ${admin}`);
    deps.notifications.accountPaused(account, { by: admin });
  } else await deps.scheduler.control[action](id);
  // Resuming also enables an account switched off (older admins paused by disabling),
  // unless the config file declares it switched off.
  if (action === 'resume' && !account.enabled && account.source !== 'config')
    await deps.accounts.update(id, { enabled: true, source: 'admin' });
  deps.log.info(`account ${action}`, { accountId: id, by: admin });
  return one(deps, id);
}

/** Account routes. */
export const accountRoutes: AdminRoute[] = [
  defineRoute({
    method: 'get',
    path: '/accounts',
    id: 'listAccounts',
    tag: 'accounts',
    summary: 'Every account, without secrets, with live state (cooldown, last error)',
    response: z.array(accountSummarySchema),
    async handle({ deps }) {
      return withState(deps, await deps.accounts.list());
    },
  }),
  defineRoute({
    method: 'post',
    path: '/accounts',
    id: 'createAccount',
    tag: 'accounts',
    summary: "Create an account; credentials and settings are validated by the account type's schemas",
    status: 201,
    body: createAccountSchema,
    response: accountSummarySchema,
    async handle({ body, deps }) {
      const created = await deps.accounts.create({ ...body, source: 'admin' });
      return one(deps, created.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/accounts/:id',
    id: 'getAccount',
    tag: 'accounts',
    summary: 'One account',
    response: accountSummarySchema,
    async handle({ params, deps }) {
      return one(deps, params['id']!);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/accounts/:id',
    id: 'updateAccount',
    tag: 'accounts',
    summary:
      'Change an account; credential fields are merged (null removes one), settings replaced; 409 for an account the config file declares',
    body: updateAccountSchema,
    response: accountSummarySchema,
    async handle({ params, body, deps }) {
      refuseConfigOwned(found(await deps.accounts.get(params['id']!), 'account'), 'account');
      found(await deps.accounts.update(params['id']!, { ...body, source: 'admin' }), 'account');
      return one(deps, params['id']!);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/accounts/:id',
    id: 'deleteAccount',
    tag: 'accounts',
    summary: 'Delete an account (409 while the config file declares it)',
    response: okSchema,
    async handle({ params, deps }) {
      const existing = found(await deps.accounts.get(params['id']!), 'account');
      if (deps.config.accounts.some((declared) => declared.id === existing.id)) refuseConfigOwned(existing, 'account');
      if (!(await deps.accounts.delete(params['id']!))) throw new AdminApiError('not_found', 'account not found');
      return { ok: true };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/accounts/:id/probe',
    id: 'probeAccount',
    tag: 'accounts',
    summary: "Test the account with its type's probe",
    response: probeResultSchema,
    async handle({ params, deps }) {
      const outcome = await probeAccount(deps, params['id']!);
      if (outcome.status === 'no-account') throw new AdminApiError('not_found', 'account not found');
      if (outcome.status === 'no-account-type') throw new AdminApiError('not_found', 'account type not found');
      if (outcome.status === 'no-probe') throw new AdminApiError('invalid_request', `Account type ${outcome.type} has no probe.`);
      return outcome.result;
    },
  }),
  defineRoute({
    method: 'post',
    path: '/accounts/:id/pause',
    id: 'pauseAccount',
    tag: 'accounts',
    summary: 'Stop scheduling requests to the account (on every instance) until resumed',
    response: accountSummarySchema,
    handle: ({ params, deps, admin }) => control(deps, params['id']!, 'pause', admin),
  }),
  defineRoute({
    method: 'post',
    path: '/accounts/:id/resume',
    id: 'resumeAccount',
    tag: 'accounts',
    summary: 'Schedule requests to the account again (also enables it when disabled)',
    response: accountSummarySchema,
    handle: ({ params, deps, admin }) => control(deps, params['id']!, 'resume', admin),
  }),
  defineRoute({
    method: 'post',
    path: '/accounts/:id/reset',
    id: 'resetAccount',
    tag: 'accounts',
    summary: "Clear the account's cooldown and pause so it is tried again now",
    response: accountSummarySchema,
    handle: ({ params, deps, admin }) => control(deps, params['id']!, 'reset', admin),
  }),
  defineRoute({
    method: 'post',
    path: '/account-types/:type/auth-flows/:flow/start',
    id: 'startAuthFlow',
    tag: 'accounts',
    summary: "Start one of the account type's auth flows (OAuth, device code, pasted token)",
    response: authFlowStartSchema,
    async handle({ params, deps }) {
      return deps.authFlows.start(params['type']!, params['flow']!);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth-flows/:flowId/complete',
    id: 'completeAuthFlow',
    tag: 'accounts',
    summary: 'Complete a started auth flow; creates the account (or updates accountId) once done',
    body: authFlowCompleteSchema,
    response: authFlowOutcomeSchema,
    async handle({ params, body, deps }) {
      const outcome = await deps.authFlows.complete(params['flowId']!, body);
      if (!outcome.account) return { status: outcome.status };
      return { status: outcome.status, account: await one(deps, outcome.account.id) };
    },
  }),
];
