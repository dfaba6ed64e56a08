/**
 * The `/azure/*` routes speak the OpenAI protocols, which other account types serve too
 * (an `openai-api` key admits `gpt-4o` as well). A client written against Azure means
 * Azure: those routes carry an `azure-` operation, and this scheduler filter keeps only
 * `azure-openai` accounts for them. The OpenAI routes (`/openai/v1/*`, `/api/v1/*`) stay
 * open to every account that serves the model, Azure's included.
 */
import type { CandidateFilter } from '@switchyard/plugin-api';
import { AZURE_OPENAI } from './azure-openai-account-type.js';

/** The prefix of the operations of the routes that only Azure accounts serve. */
export const AZURE_OPERATION_PREFIX = 'azure-';

/** The operation of an Azure-only route (`azure-chat`, `azure-responses`, `azure-embeddings`). */
export function azureOperation(operation: string): string {
  return `${AZURE_OPERATION_PREFIX}${operation}`;
}

/** Drops every candidate that is not an `azure-openai` account on an Azure-only route. */
export const azureRouteFilter: CandidateFilter = {
  name: 'azure-routes-use-azure-accounts',
  filter(candidate, request) {
    if (!request.operation.startsWith(AZURE_OPERATION_PREFIX) || candidate.account.type === AZURE_OPENAI) return true;
    return 'the /azure routes only use Azure OpenAI accounts';
  },
};
