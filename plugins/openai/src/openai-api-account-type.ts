/**
 * The `openai-api` account type: an OpenAI API key, or the key of any OpenAI-compatible
 * upstream (`baseUrl`). Serves Chat Completions and Responses natively.
 */
import {
  UpstreamError,
  secret,
  z,
  defineAccountType,
  callUpstream,
  flattenHeaders,
  joinUrl,
  originOf,
  parseJsonBytes,
  parseRetryAfter,
  reasonOf,
  configuredModels,
  isRecord,
  nonEmptyString,
} from '@switchyard/plugin-api';
import { OPENAI_MODEL_CATALOG } from './model-patterns.js';
import { bodyWithUsageRequested, withoutInjectedUsage } from './chat-usage-injection.js';
import { OPENAI_CHAT } from './openai-chat-protocol.js';
import { OPENAI_RESPONSES } from './openai-responses-protocol.js';
import { splitBaseUrl } from '@switchyard/plugin-api';
import { openAiApiCrsImport } from './openai-crs-imports.js';

/** The default API origin (the official SDK's `baseURL` is this plus `/v1`). */
export const OPENAI_API_BASE_URL = 'https://api.openai.com';

/** Decrypted credentials of an `openai-api` account. */
export interface OpenAiApiCredentials {
  apiKey: string;
  organization?: string;
  project?: string;
  /**
   * Origin plus optional path prefix, without the API version (`/v1` is added): e.g.
   * `http://host:8000`. A trailing version given is kept instead of `/v1`, so
   * `https://host/v1` is not doubled and `https://host/api/paas/v4` keeps its `v4`.
   */
  baseUrl?: string;
}

/** Models listed for an account whose settings name none. */
export const DEFAULT_OPENAI_MODELS: readonly string[] = [
  'gpt-5.1',
  'gpt-5',
  'gpt-5-mini',
  'gpt-5-nano',
  'gpt-4.1',
  'gpt-4.1-mini',
  'gpt-4o',
  'gpt-4o-mini',
  'o3',
  'o4-mini',
];

/** The versioned API root of a baseUrl: `/v1` added unless the baseUrl ends with a version of its own. */
function apiRoot(baseUrl: string): string {
  const { root, version } = splitBaseUrl(baseUrl);
  return `${root}/${version ?? 'v1'}`;
}

/** The upstream path for a request's protocol. */
function upstreamPath(protocol: string): string {
  return protocol === OPENAI_RESPONSES ? '/responses' : '/chat/completions';
}

/** An OpenAI error body's `code` or `type`, when it has one. */
export function openAiErrorCode(body: Uint8Array): string | undefined {
  const parsed = parseJsonBytes(body);
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  return nonEmptyString(parsed.error.code) ?? nonEmptyString(parsed.error.type);
}

/** The `openai-api` account type. */
export const openAiApiAccountType = defineAccountType({
  id: 'openai-api',
  imports: [openAiApiCrsImport],
  label: 'OpenAI API key (or any OpenAI-compatible API)',
  description:
    'An API key for api.openai.com or an OpenAI-compatible server. baseUrl is its origin plus optional path prefix; /v1 is added unless the baseUrl already ends with a version such as /v1 or /v4 (default https://api.openai.com).',
  credentials: z.object({
    apiKey: secret(z.string().min(1)).describe('API key, sent as Authorization: Bearer').meta({ title: 'API key' }),
    organization: z.string().optional().describe('OpenAI-Organization header (optional)').meta({ title: 'Organization' }),
    project: z.string().optional().describe('OpenAI-Project header (optional)').meta({ title: 'Project' }),
  }),
  settings: z.object({
    models: z
      .array(z.string().min(1))
      .optional()
      .describe('Models this account serves; `*` matches any run of characters. Default: OpenAI model families.')
      .meta({ title: 'Models' }),
  }),
  serves: [OPENAI_CHAT, OPENAI_RESPONSES],
  models: OPENAI_MODEL_CATALOG,
  listModels: (account) => (configuredModels(account) ?? DEFAULT_OPENAI_MODELS).filter((model) => !model.includes('*')),
  defaultMaxConcurrency: 16,
  adapter: {
    async send({ request, credentials, http, signal }) {
      const query = request.query.toString();
      const url = `${joinUrl(apiRoot(credentials.baseUrl ?? OPENAI_API_BASE_URL), upstreamPath(request.protocol))}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = Object.assign({}, request.headers, {
        authorization: `Bearer ${credentials.apiKey}`,
        'accept-encoding': 'identity',
      });
      headers['content-type'] ??= 'application/json';
      if (credentials.organization) headers['openai-organization'] = credentials.organization;
      if (credentials.project) headers['openai-project'] = credentials.project;
      // Streamed chat is always asked for usage, so it is counted (see chat-usage-injection).
      const withUsage = bodyWithUsageRequested(request);
      const body = withUsage ? JSON.stringify(withUsage) : request.translated ? JSON.stringify(request.body) : request.rawBody;
      const response = await callUpstream(http, url, { method: 'POST', headers, body, signal }, 'openai');
      return withUsage ? withoutInjectedUsage(response) : response;
    },
  },
  classifyError(response) {
    // OpenAI answers 429 both for rate limits and for a used-up billing quota.
    if (response.status !== 429 || openAiErrorCode(response.body) !== 'insufficient_quota') return undefined;
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    return new UpstreamError('quota_exhausted', 'openai account has no quota left (insufficient_quota)', {
      status: 429,
      headers: flattenHeaders(response.headers),
      body: response.body,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  },
  async probe({ credentials, http, signal }) {
    const url = joinUrl(apiRoot(credentials.baseUrl ?? OPENAI_API_BASE_URL), '/models');
    try {
      const response = await http.request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        signal,
      });
      await response.text();
      return response.status < 300
        ? { ok: true, message: `${originOf(url)} accepted the key` }
        : { ok: false, message: `${originOf(url)} answered ${response.status} on /models` };
    } catch (error) {
      return { ok: false, message: `${originOf(url)} unreachable (${reasonOf(error)})` };
    }
  },
});
