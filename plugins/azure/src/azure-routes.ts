/**
 * The Azure routes, for clients written against Azure OpenAI, declared under the
 * bare-root mount `''` with full paths (like the OpenAI plugin's):
 *
 * - the reference's `POST /azure/chat/completions`, `/azure/responses`,
 *   `/azure/embeddings` and `GET /azure/models`;
 * - the paths the `AzureOpenAI` client of the official SDK builds: with
 *   `baseURL: <gateway>/azure`, `/azure/deployments/{model}/chat/completions` (and
 *   `/embeddings`) and `/azure/responses`; with `endpoint: <gateway>/azure`, the same under
 *   `/azure/openai`; the `{model}` segment is the client's, the account maps the body's
 *   model to its own deployment;
 * - Azure's v1 API paths, `/azure/openai/v1/...`, for the plain `OpenAI` client;
 * - `POST /openai/v1/embeddings`, next to the OpenAI plugin's chat and Responses routes,
 *   since no other plugin defines embeddings.
 *
 * Every `/azure/...` route is served by `azure-openai` accounts only (azure-route-filter.ts).
 *
 * The gateway key may come as `api-key` (the Azure SDKs), `authorization: Bearer` or
 * `x-api-key`; the client's `api-version` is not forwarded (each account sends its own).
 */
import type { RouteDefinition, RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { azureOperation } from './azure-route-filter.js';
import { OPENAI_CHAT, OPENAI_EMBEDDINGS, OPENAI_RESPONSES } from './protocol-ids.js';

/** The model list, OpenAI's shape: the models this key may use on the chat, Responses and embeddings protocols. */
export const listAzureModels: RouteHandler = async (_request, context) => {
  const ids = new Set<string>();
  for (const protocol of [OPENAI_CHAT, OPENAI_RESPONSES, OPENAI_EMBEDDINGS]) {
    for (const id of await context.listModels(protocol)) ids.add(id);
  }
  return {
    status: 200,
    body: { object: 'list', data: [...ids].sort().map((id) => ({ id, object: 'model', created: 0, owned_by: 'switchyard' })) },
  };
};

const post = (path: string, protocol: string, operation: string): RouteDefinition => ({
  method: 'POST',
  path,
  protocol,
  operation,
});

/** The chat, Responses and embeddings routes under one prefix, with the deployment-path forms when asked. */
function azureFamily(prefix: string, deploymentPaths: boolean): RouteDefinition[] {
  const routes = [
    post(`${prefix}/chat/completions`, OPENAI_CHAT, azureOperation('chat')),
    post(`${prefix}/responses`, OPENAI_RESPONSES, azureOperation('responses')),
    post(`${prefix}/embeddings`, OPENAI_EMBEDDINGS, azureOperation('embeddings')),
    { method: 'GET', path: `${prefix}/models`, protocol: OPENAI_CHAT, handle: listAzureModels } satisfies RouteDefinition,
  ];
  if (deploymentPaths) {
    routes.push(
      post(`${prefix}/deployments/:deployment/chat/completions`, OPENAI_CHAT, azureOperation('chat')),
      post(`${prefix}/deployments/:deployment/embeddings`, OPENAI_EMBEDDINGS, azureOperation('embeddings')),
    );
  }
  return routes;
}

/** The plugin's routes, all under the bare-root mount. */
export const azureRoutes: RouteSet = {
  mounts: [''],
  routes: [
    ...azureFamily('/azure', true),
    ...azureFamily('/azure/openai', true),
    ...azureFamily('/azure/openai/v1', false),
    post('/openai/v1/embeddings', OPENAI_EMBEDDINGS, 'embeddings'),
  ],
};
