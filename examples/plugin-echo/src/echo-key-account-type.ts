/**
 * The `echo-key` account type: an API key for an echo server, sent as a bearer token.
 * The echo service has no public endpoint, so every account names its server in
 * `credentials.baseUrl`.
 */
import {
  UpstreamError,
  configuredModels,
  flattenHeaders,
  isUpstreamError,
  reasonOf,
  secret,
  splitBaseUrl,
  z,
  type AccountTypeDefinition,
  type UpstreamErrorOptions,
} from '@switchyard/plugin-api';
import { ECHO_PROTOCOL } from './echo-protocol.js';

/** The decrypted credentials of an echo-key account (`baseUrl` is added by the core). */
export interface EchoCredentials {
  apiKey: string;
  baseUrl?: string;
}

/** Models an account offers when its settings name none. */
export const DEFAULT_ECHO_MODELS: readonly string[] = ['echo-1'];

const NO_BASE_URL =
  'this echo-key account has no baseUrl: the echo account type has no public default endpoint; set credentials.baseUrl to your echo server';

/**
 * `{baseUrl}{path}`, a `/v1` ending the baseUrl not doubled (baseUrl is an origin plus path
 * prefix, without the API version); a missing baseUrl is the operator's mistake, reported as `bad_request`.
 */
function endpoint(credentials: EchoCredentials, path: string): string {
  if (!credentials.baseUrl) throw new UpstreamError('bad_request', NO_BASE_URL, { status: 400 });
  return `${splitBaseUrl(credentials.baseUrl).root}${path}`;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the echo upstream';
  }
}

/** `retry-after` in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The echo-key account type. */
export const echoKeyAccountType: AccountTypeDefinition<EchoCredentials> = {
  id: 'echo-key',
  label: 'Echo API key',
  description: 'An API key for an echo server. Set baseUrl to the server; there is no public default.',
  credentials: z.object({ apiKey: secret(z.string().min(8)) }),
  settings: z.object({ models: z.array(z.string().min(1)).optional() }),
  serves: [ECHO_PROTOCOL],
  // The core admits a model from settings.models when set (exact ids, * patterns), else from these defaults.
  models: { defaults: ['echo-*'] },
  listModels(account) {
    return configuredModels(account) ?? DEFAULT_ECHO_MODELS;
  },
  adapter: {
    async send({ request, credentials, http, signal }) {
      const query = request.query.toString();
      const url = `${endpoint(credentials, '/v1/echo')}${query ? `?${query}` : ''}`;
      const headers: Record<string, string> = {
        ...request.headers,
        authorization: `Bearer ${credentials.apiKey}`,
        // The core taps the body for usage: ask for bytes it can read (see protocols.md, compression).
        'accept-encoding': 'identity',
      };
      headers['content-type'] ??= 'application/json';
      const body = request.translated ? JSON.stringify(request.body) : request.rawBody;
      try {
        const response = await http.request(url, { method: 'POST', headers, body, signal });
        return { status: response.status, headers: response.headers, body: response.body };
      } catch (error) {
        if (signal.aborted || isUpstreamError(error)) throw error;
        throw new UpstreamError('network', `echo upstream ${originOf(url)} unreachable (${reasonOf(error)})`, { cause: error });
      }
    },
  },
  classifyError(response) {
    if (response.status !== 529) return undefined;
    const options: UpstreamErrorOptions = {
      status: 529,
      headers: flattenHeaders(response.headers),
      body: response.body,
    };
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    if (retryAfterMs !== undefined) options.retryAfterMs = retryAfterMs;
    return new UpstreamError('overloaded', 'echo upstream is overloaded (529)', options);
  },
  async probe({ credentials, http, signal }) {
    let url: string;
    try {
      url = endpoint(credentials, '/v1/health');
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : 'no baseUrl' };
    }
    try {
      const response = await http.request(url, {
        method: 'GET',
        headers: { authorization: `Bearer ${credentials.apiKey}` },
        signal,
      });
      const text = await response.text();
      if (response.status < 200 || response.status >= 300) {
        return { ok: false, message: `echo upstream answered ${response.status} on /v1/health` };
      }
      let details: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = JSON.parse(text);
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) details = parsed as Record<string, unknown>;
      } catch {
        // a health answer that is not JSON is fine
      }
      return details
        ? { ok: true, message: 'echo upstream is healthy', details }
        : { ok: true, message: 'echo upstream is healthy' };
    } catch (error) {
      return { ok: false, message: `echo upstream ${originOf(url)} unreachable (${reasonOf(error)})` };
    }
  },
};
