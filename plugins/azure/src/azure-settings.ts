/**
 * What an `azure-openai` account is made of: its credentials (the resource endpoint and
 * an API key, Entra ID client credentials, or a static bearer token) and settings (the deployments, the API flavour and
 * versions), and how its settings are read.
 */
import { type AccountCredentials, type AccountView, isRecord, secret, timestamp, z } from '@switchyard/plugin-api';

/** The latest GA `api-version` of the Azure OpenAI data-plane inference API this plugin defaults to. */
export const DEFAULT_API_VERSION = '2024-10-21';

/**
 * The `api-version` for the classic Responses endpoint (`/openai/responses`), which no
 * GA version of the classic API offers; the v1 API needs none. `2025-04-01-preview` is the
 * version the Responses API shipped with on the classic API and the one its REST examples
 * used (Microsoft Learn, "Azure OpenAI Responses API", how-to/responses, in its classic
 * version; checked 2026-12-07: the current page recommends the v1 API, `settings.api: "v1"`,
 * for the latest features).
 */
export const DEFAULT_RESPONSES_API_VERSION = '2025-04-01-preview';

/** A model name as the core's model patterns allow it, without `*` (a deployment serves one model). */
const MODEL_NAME = /^[A-Za-z0-9._:/@+-]{1,200}$/;

/** The credentials schema. */
export const azureOpenAiCredentialsSchema = z
  .object({
    endpoint: z
      .string()
      .url()
      .optional()
      .describe('The resource endpoint, e.g. https://my-resource.openai.azure.com (or set baseUrl to any other origin)')
      .meta({ title: 'Endpoint' }),
    apiKey: secret(z.string().min(1))
      .optional()
      .describe('The resource key, sent as the api-key header (or give a bearer token instead)')
      .meta({ title: 'API key' }),
    bearerToken: secret(z.string().min(1))
      .optional()
      .describe('A Microsoft Entra ID access token, sent as Authorization: Bearer as it is (static: not refreshed)')
      .meta({ title: 'Bearer token' }),
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,100}$/, 'a tenant (directory) id or domain')
      .optional()
      .describe('Entra ID client credentials: the tenant (directory) id or domain of the app registration')
      .meta({ title: 'Tenant ID' }),
    clientId: z
      .string()
      .min(1)
      .optional()
      .describe('Entra ID client credentials: the application (client) id')
      .meta({ title: 'Client ID' }),
    clientSecret: secret(z.string().min(1))
      .optional()
      .describe('Entra ID client credentials: a client secret of the app registration')
      .meta({ title: 'Client secret' }),
    authorityHost: z
      .string()
      .url()
      .optional()
      .describe(
        'Entra ID authority host; default https://login.microsoftonline.com (sovereign clouds: https://login.microsoftonline.us, https://login.chinacloudapi.cn)',
      )
      .meta({ title: 'Authority host' }),
    scope: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Token scope; default https://cognitiveservices.azure.com/.default (Azure Government: https://cognitiveservices.azure.us/.default)',
      )
      .meta({ title: 'Token scope' }),
    accessToken: secret(z.string().min(1))
      .optional()
      .describe(
        'The current token from the client credentials: written by the gateway, which fetches a new one before it expires',
      )
      .meta({ title: 'Access token (managed)' }),
    expiresAt: timestamp()
      .optional()
      .describe('When accessToken expires (written by the gateway)')
      .meta({ title: 'Access token expires at' }),
  })
  .refine(
    (value) =>
      [value.tenantId, value.clientId, value.clientSecret].every((field) => field === undefined) ||
      (value.tenantId !== undefined && value.clientId !== undefined && value.clientSecret !== undefined),
    { message: 'Entra ID client credentials need tenantId, clientId and clientSecret together' },
  );

/** Decrypted credentials of an `azure-openai` account. */
export type AzureOpenAiCredentials = AccountCredentials<typeof azureOpenAiCredentialsSchema>;

/** The settings schema. */
export const azureOpenAiSettingsSchema = z.object({
  deployments: z
    .record(
      z.string().regex(MODEL_NAME, 'a model name: letters, digits and . _ : / @ + - (the models the account serves)'),
      z.string().min(1),
    )
    .default({})
    .describe(
      'Model name -> deployment name, e.g. {"gpt-4o": "my-gpt4o-prod"}. The account serves exactly these models (and settings.models, if listed, sent with the model name as the deployment).',
    )
    .meta({ title: 'Deployments' }),
  api: z
    .enum(['classic', 'v1'])
    .default('classic')
    .describe(
      'classic: /openai/deployments/{deployment}/...?api-version=...; v1: /openai/v1/... with the deployment as the body model and no api-version',
    )
    .meta({ title: 'API style' }),
  apiVersion: z
    .string()
    .min(1)
    .default(DEFAULT_API_VERSION)
    .describe('api-version for chat completions and embeddings (classic API)')
    .meta({ title: 'API version' }),
  responsesApiVersion: z
    .string()
    .min(1)
    .default(DEFAULT_RESPONSES_API_VERSION)
    .describe('api-version for the Responses API (classic API)')
    .meta({ title: 'Responses API version' }),
  models: z
    .array(z.string().min(1))
    .optional()
    .describe('More models this account serves, sent with the model name as the deployment name (optional)')
    .meta({ title: 'More models' }),
});

/** The settings, read defensively (the core validated them when the account was written). */
export interface AzureOpenAiSettings {
  deployments: Readonly<Record<string, string>>;
  api: 'classic' | 'v1';
  apiVersion: string;
  responsesApiVersion: string;
}

/** The deployments map of raw settings. */
export function deploymentsOf(settings: Readonly<Record<string, unknown>>): Record<string, string> {
  const value = settings.deployments;
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** An account's settings, defaults applied. */
export function azureSettings(account: AccountView): AzureOpenAiSettings {
  const { settings } = account;
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value : fallback);
  return {
    deployments: deploymentsOf(settings),
    api: settings.api === 'v1' ? 'v1' : 'classic',
    apiVersion: text(settings.apiVersion, DEFAULT_API_VERSION),
    responsesApiVersion: text(settings.responsesApiVersion, DEFAULT_RESPONSES_API_VERSION),
  };
}

/** The deployment serving `model`: the mapped one, else a deployment named like the model. */
export function deploymentFor(settings: AzureOpenAiSettings, model: string): string {
  return Object.hasOwn(settings.deployments, model) ? settings.deployments[model]! : model;
}
