/**
 * The `gemini-api` account type: a Gemini API key (Google AI Studio), sent as
 * `x-goog-api-key` to `generativelanguage.googleapis.com` or the account's `baseUrl`.
 */
import {
  secret,
  z,
  defineAccountType,
  type AccountCredentials,
  type RelayRequest,
  callUpstream,
  joinUrl,
  originOf,
  reasonOf,
  configuredModels,
} from '@switchyard/plugin-api';
import { GEMINI_MODEL_CATALOG } from './model-patterns.js';
import { GEMINI, STREAM_ACTION } from './gemini-protocol.js';
import { splitBaseUrl } from '@switchyard/plugin-api';
import { classifyGoogleError } from './google-error-classifier.js';
import { geminiApiCrsImport } from './gemini-crs-imports.js';

/** The public Gemini API origin. */
export const GEMINI_API_BASE_URL = 'https://generativelanguage.googleapis.com';

/** The credential schema of a `gemini-api` account. */
export const geminiApiCredentialsSchema = z.object({
  apiKey: secret(z.string().min(1)).describe('API key, sent as x-goog-api-key').meta({ title: 'API key' }),
});

/**
 * Decrypted credentials of a `gemini-api` account. `baseUrl`: origin (plus optional path
 * prefix) replacing the public endpoint; the version path follows it (a trailing `/v1beta`
 * or `/v1` given is dropped).
 */
export type GeminiApiCredentials = AccountCredentials<typeof geminiApiCredentialsSchema>;

/** Models listed for an account whose settings name none. */
export const DEFAULT_GEMINI_MODELS: readonly string[] = [
  'gemini-3-pro-preview',
  'gemini-2.5-pro',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
];

/**
 * The upstream path and query: the client's own path for native calls (`/v1beta/models/m:action`
 * with `?alt=sse` when sent), or one built from the model and the translator's operation.
 */
export function geminiUpstreamTarget(request: RelayRequest): { path: string; query: URLSearchParams } {
  if (!request.translated) return { path: request.path, query: request.query };
  const action = request.operation;
  const query = new URLSearchParams();
  if (action === STREAM_ACTION) query.set('alt', 'sse');
  return { path: `/v1beta/models/${encodeURIComponent(request.model ?? '')}:${action}`, query };
}

/** The `gemini-api` account type. */
export const geminiApiAccountType = defineAccountType({
  id: 'gemini-api',
  imports: [geminiApiCrsImport],
  label: 'Gemini API key',
  description:
    'A Gemini API key (Google AI Studio). baseUrl (origin plus optional path prefix, without /v1beta) replaces https://generativelanguage.googleapis.com.',
  credentials: geminiApiCredentialsSchema,
  settings: z.object({
    models: z
      .array(z.string().min(1))
      .optional()
      .describe('Models this account serves; `*` matches any run of characters. Default: gemini-*, gemma-*.')
      .meta({ title: 'Models' }),
  }),
  serves: [GEMINI],
  models: GEMINI_MODEL_CATALOG,
  listModels: (account) => (configuredModels(account) ?? DEFAULT_GEMINI_MODELS).filter((model) => !model.includes('*')),
  defaultMaxConcurrency: 16,
  adapter: {
    async send({ request, credentials, http, signal }) {
      const target = geminiUpstreamTarget(request);
      const query = target.query.toString();
      const url = `${joinUrl(splitBaseUrl(credentials.baseUrl ?? GEMINI_API_BASE_URL).root, target.path)}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = Object.assign({}, request.headers, {
        'x-goog-api-key': credentials.apiKey,
        'accept-encoding': 'identity',
      });
      headers['content-type'] ??= 'application/json';
      const body = request.translated ? JSON.stringify(request.body) : request.rawBody;
      return callUpstream(http, url, { method: 'POST', headers, body, signal }, 'gemini');
    },
  },
  classifyError: (response) => classifyGoogleError(response, 'gemini-api'),
  async probe({ credentials, http, signal }) {
    const url = joinUrl(splitBaseUrl(credentials.baseUrl ?? GEMINI_API_BASE_URL).root, '/v1beta/models');
    try {
      const response = await http.request(url, { method: 'GET', headers: { 'x-goog-api-key': credentials.apiKey }, signal });
      await response.text();
      return response.status < 300
        ? { ok: true, message: `${originOf(url)} accepted the key` }
        : { ok: false, message: `${originOf(url)} answered ${response.status}` };
    } catch (error) {
      return { ok: false, message: `${originOf(url)} unreachable (${reasonOf(error)})` };
    }
  },
});
