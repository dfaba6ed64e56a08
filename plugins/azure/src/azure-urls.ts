/**
 * Where an Azure OpenAI request goes. The classic API names the deployment in the path
 * and the version in `api-version`; the Responses API (classic) and every v1 endpoint
 * take the deployment as the body's `model` instead.
 */
import type { AzureOpenAiSettings } from './azure-settings.js';
import { OPENAI_EMBEDDINGS, OPENAI_RESPONSES } from './protocol-ids.js';

/**
 * The resource root: the endpoint (or baseUrl) without trailing slashes and without a
 * trailing `/openai` or `/openai/v1` a user may have copied from a client setup.
 */
export function resourceRoot(endpoint: string): string {
  return endpoint.replace(/\/+$/, '').replace(/\/openai(?:\/v1)?$/, '');
}

/** The operation's path for a protocol: `chat/completions`, `responses` or `embeddings`. */
function operationPath(protocol: string): string {
  if (protocol === OPENAI_RESPONSES) return 'responses';
  if (protocol === OPENAI_EMBEDDINGS) return 'embeddings';
  return 'chat/completions';
}

/** True when the deployment travels as the body's `model` (v1 API, or the Responses API). */
export function deploymentInBody(settings: AzureOpenAiSettings, protocol: string): boolean {
  return settings.api === 'v1' || protocol === OPENAI_RESPONSES;
}

/** The upstream URL of a request of `protocol` served by `deployment`. */
export function upstreamUrl(root: string, settings: AzureOpenAiSettings, protocol: string, deployment: string): string {
  const path = operationPath(protocol);
  if (settings.api === 'v1') return `${root}/openai/v1/${path}`;
  if (protocol === OPENAI_RESPONSES) {
    return `${root}/openai/responses?api-version=${encodeURIComponent(settings.responsesApiVersion)}`;
  }
  return `${root}/openai/deployments/${encodeURIComponent(deployment)}/${path}?api-version=${encodeURIComponent(settings.apiVersion)}`;
}

/** The model list URL, for the probe. */
export function modelsUrl(root: string, settings: AzureOpenAiSettings): string {
  return settings.api === 'v1'
    ? `${root}/openai/v1/models`
    : `${root}/openai/models?api-version=${encodeURIComponent(settings.apiVersion)}`;
}
