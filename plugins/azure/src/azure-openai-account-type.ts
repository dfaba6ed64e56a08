/**
 * The `azure-openai` account type: an Azure OpenAI resource (its endpoint, and an API key,
 * Entra ID client credentials or a static Entra ID bearer token) whose deployments serve OpenAI chat, Responses and
 * embeddings requests. The catalog is the keys of `settings.deployments` (model name ->
 * deployment name); OpenAI's price table prices the usage by the model name.
 */
import {
  UpstreamError,
  callUpstream,
  defineAccountType,
  flattenHeaders,
  headerValue,
  isRecord,
  originOf,
  parseRetryAfter,
  reasonOf,
  type AccountContext,
  type RelayRequest,
  type UpstreamErrorResponse,
} from '@switchyard/plugin-api';
import { authModeOf, entraTokenRefresher, fetchEntraToken, isEntraTokenDue } from './entra-client-credentials.js';
import {
  azureOpenAiCredentialsSchema,
  azureOpenAiSettingsSchema,
  azureSettings,
  deploymentFor,
  deploymentsOf,
  type AzureOpenAiCredentials,
  type AzureOpenAiSettings,
} from './azure-settings.js';
import { deploymentInBody, modelsUrl, resourceRoot, upstreamUrl } from './azure-urls.js';
import { withUsage } from './azure-usage-tap.js';
import { OPENAI_CHAT, OPENAI_EMBEDDINGS, OPENAI_RESPONSES } from './protocol-ids.js';
import { azureOpenAiCrsImport } from './azure-crs-imports.js';

/** The account type id. */
export const AZURE_OPENAI = 'azure-openai';

/** The resource root of an account, or a `bad_request` saying what to configure. */
function rootOf(credentials: AzureOpenAiCredentials): string {
  const endpoint = credentials.baseUrl ?? credentials.endpoint;
  if (!endpoint) throw new UpstreamError('bad_request', 'azure-openai account has no endpoint (set endpoint or baseUrl)');
  return resourceRoot(endpoint);
}

/**
 * The credential header: `api-key`, or `authorization: Bearer` with the token the client
 * credentials got (kept fresh by the refresher) or the static bearer token.
 */
function authHeader(credentials: AzureOpenAiCredentials, token = credentials.accessToken): Record<string, string> {
  switch (authModeOf(credentials)) {
    case 'apiKey':
      return { 'api-key': credentials.apiKey! };
    case 'clientCredentials':
      if (!token) throw new UpstreamError('auth_failed', 'azure-openai account has no Entra ID token yet');
      return { authorization: `Bearer ${token}` };
    case 'bearerToken':
      return { authorization: `Bearer ${credentials.bearerToken!}` };
    default:
      throw new UpstreamError('bad_request', 'azure-openai account has no apiKey, Entra ID client credentials or bearerToken');
  }
}

/** The probe's credential header: for client credentials, a token fetched now unless the stored one is fresh. */
async function probeAuthHeader(context: AccountContext<AzureOpenAiCredentials>): Promise<Record<string, string>> {
  const { credentials } = context;
  if (authModeOf(credentials) !== 'clientCredentials' || !isEntraTokenDue(credentials, new Date()))
    return authHeader(credentials);
  return authHeader(credentials, (await fetchEntraToken(context)).accessToken);
}

/**
 * The body changes a request needs, or undefined when the client's bytes can go as they
 * are: the deployment as `model` where the API reads it from the body, and
 * `stream_options.include_usage` for a streamed chat request that did not ask for it.
 */
export function changedBody(
  request: RelayRequest,
  settings: AzureOpenAiSettings,
  deployment: string,
): { body: Record<string, unknown>; usageInjected: boolean } | undefined {
  if (!isRecord(request.body)) return undefined;
  let body: Record<string, unknown> | undefined;
  if (deploymentInBody(settings, request.protocol) && request.body.model !== deployment) {
    body = { ...request.body, model: deployment };
  }
  let usageInjected = false;
  if (request.protocol === OPENAI_CHAT && request.stream) {
    const options = isRecord(request.body.stream_options) ? request.body.stream_options : {};
    if (options.include_usage !== true) {
      body = { ...(body ?? request.body), stream_options: { ...options, include_usage: true } };
      usageInjected = true;
    }
  }
  return body ? { body, usageInjected } : undefined;
}

/** A 429 until Azure's `retry-after-ms` (or `retry-after`) says the account may be used again. */
function classifyAzureError(response: UpstreamErrorResponse): UpstreamError | undefined {
  if (response.status !== 429) return undefined;
  const ms = Number(headerValue(response.headers['retry-after-ms']));
  const retryAfterMs = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : parseRetryAfter(response.headers['retry-after']);
  return new UpstreamError('rate_limited', 'azure-openai deployment is rate limited (429)', {
    status: 429,
    headers: flattenHeaders(response.headers),
    body: response.body,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  });
}

/** The `azure-openai` account type. */
export const azureOpenAiAccountType = defineAccountType({
  id: AZURE_OPENAI,
  imports: [azureOpenAiCrsImport],
  label: 'Azure OpenAI resource',
  description:
    'An Azure OpenAI resource: its endpoint (https://<resource>.openai.azure.com) and key (api-key), Entra ID client credentials (tenant, client id, secret) or bearer token, and the deployments that serve each model name.',
  credentials: azureOpenAiCredentialsSchema,
  settings: azureOpenAiSettingsSchema,
  serves: [OPENAI_CHAT, OPENAI_RESPONSES, OPENAI_EMBEDDINGS],
  models: { defaults: [], fromSettings: (settings) => Object.keys(deploymentsOf(settings)) },
  listModels: (account) => Object.keys(deploymentsOf(account.settings)).filter((model) => !model.includes('*')),
  defaultMaxConcurrency: 16,
  adapter: {
    async send({ request, credentials, account, http, signal }) {
      const settings = azureSettings(account);
      const root = rootOf(credentials);
      const model = request.model;
      const deployment = model ? deploymentFor(settings, model) : undefined;
      if (!deployment) throw new UpstreamError('bad_request', 'azure-openai needs a model to pick the deployment');
      const url = upstreamUrl(root, settings, request.protocol, deployment);
      const headers: Record<string, string> = { ...request.headers, ...authHeader(credentials), 'accept-encoding': 'identity' };
      headers['content-type'] ??= 'application/json';
      const changed = changedBody(request, settings, deployment);
      // The client's bytes unless the body had to change (the bytes rule, docs/plugins.md section 5.1).
      const body = changed ? JSON.stringify(changed.body) : request.translated ? JSON.stringify(request.body) : request.rawBody;
      const response = await callUpstream(http, url, { method: 'POST', headers, body, signal }, 'azure-openai');
      return withUsage(response, request.protocol, { model, deployment }, changed?.usageInjected ?? false);
    },
  },
  // Client-credentials accounts: the token is fetched, and fetched again before it expires, under the core's lock.
  refresh: entraTokenRefresher,
  classifyError: classifyAzureError,
  async probe(context) {
    const { credentials, account, http, signal } = context;
    let url: string;
    try {
      url = modelsUrl(rootOf(credentials), azureSettings(account));
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : 'no endpoint' };
    }
    try {
      const response = await http.request(url, { method: 'GET', headers: await probeAuthHeader(context), signal });
      await response.text();
      return response.status < 300
        ? { ok: true, message: `${originOf(url)} accepted the credentials` }
        : { ok: false, message: `${originOf(url)} answered ${response.status} on the model list` };
    } catch (error) {
      if (error instanceof UpstreamError) return { ok: false, message: error.message };
      return { ok: false, message: `${originOf(url)} unreachable (${reasonOf(error)})` };
    }
  },
});
