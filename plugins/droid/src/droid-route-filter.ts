/**
 * Which accounts serve what. The `/droid` routes speak protocols other account types
 * serve too (a `claude-console` key admits Claude models as well); a client pointed at
 * `/droid` means Factory, so those routes carry a `droid-` operation and only `droid`
 * accounts serve them. And a `droid` account serves a request only on an endpoint kind
 * its settings allow, and never a token count (Factory has no count_tokens endpoint),
 * wherever the request came in.
 */
import type { CandidateFilter } from '@switchyard/plugin-api';
import { DROID } from './droid-account-type.js';
import { allowedEndpoints } from './droid-credentials.js';
import { endpointKindOf } from './droid-endpoints.js';

/** The prefix of the operations of the routes only droid accounts serve. */
export const DROID_OPERATION_PREFIX = 'droid-';

/** The operation of a droid-only route (`droid-messages`, `droid-responses`, `droid-chat`). */
export function droidOperation(operation: string): string {
  return `${DROID_OPERATION_PREFIX}${operation}`;
}

/** Keeps the `/droid` routes to droid accounts, and droid accounts to the endpoints they allow. */
export const droidRouteFilter: CandidateFilter = {
  name: 'droid-routes-use-droid-accounts',
  filter(candidate, request) {
    if (candidate.account.type !== DROID) {
      return request.operation.startsWith(DROID_OPERATION_PREFIX) ? 'the /droid routes only use Factory (droid) accounts' : true;
    }
    if (request.operation === 'count_tokens') return 'Factory has no token-count endpoint';
    const kind = endpointKindOf(candidate.protocol);
    if (!kind || !allowedEndpoints(candidate.account.settings).includes(kind)) {
      return `this droid account does not use Factory's ${kind ?? candidate.protocol} endpoint`;
    }
    return true;
  },
};
