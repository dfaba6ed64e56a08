/**
 * The `echo-key` account type: an API key for an echo server, sent as a bearer token.
 * The echo service has no public endpoint, so every account names its server in
 * `credentials.baseUrl`.
 */
import {
  UpstreamError,
  callUpstream,
  configuredModels,
  flattenHeaders,
  isRecord,
  originOf,
  parseJsonSafely,
  parseRetryAfter,
  reasonOf,
  secret,
  splitBaseUrl,
  z,
  defineAccountType,
  type AccountCredentials,
  type UpstreamErrorOptions,
} from '@switchyard/plugin-api';
import { ECHO_PROTOCOL } from './echo-protocol.js';

/** The credentials schema of an echo-key account: an API key (`baseUrl` is added by the core). */
export const echoCredentialsSchema = z.object({ apiKey: secret(z.string().min(8)) });

/** The decrypted credentials of an echo-key account, as every hook gets them. */
export type EchoCredentials = AccountCredentials<typeof echoCredentialsSchema>;

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

/** The echo-key account type. */
export const echoKeyAccountType = defineAccountType({
  id: 'echo-key',
  label: 'Echo API key',
  description: 'An API key for an echo server. Set baseUrl to the server; there is no public default.',
  credentials: echoCredentialsSchema,
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
      // Every HTTP answer comes back as it is; a connection failure becomes a `network` error naming only the origin.
      return callUpstream(http, url, { method: 'POST', headers, body, signal }, 'echo');
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
      // A health answer that is not a JSON object is fine; one that is shows as details.
      const details = parseJsonSafely(text);
      return isRecord(details)
        ? { ok: true, message: 'echo upstream is healthy', details }
        : { ok: true, message: 'echo upstream is healthy' };
    } catch (error) {
      return { ok: false, message: `echo upstream ${originOf(url)} unreachable (${reasonOf(error)})` };
    }
  },
});
