/**
 * switchyard-plugin-acme: the Acme chat API as a Switchyard provider. Clients send
 * `POST /acme/v1/chat` with `{ "model": "acme-1", "input": "hi", "stream": false }`; an
 * `acme-key` account relays it to `{baseUrl}/v1/chat` with its own key.
 */
import {
  PLUGIN_API_VERSION,
  callUpstream,
  createSseUsageTap,
  defineAccountType,
  definePlugin,
  emptyUsage,
  formatSse,
  isRecord,
  nonEmptyString,
  parseJsonSafely,
  secret,
  splitBaseUrl,
  tokenCount,
  z,
  type ProtocolDefinition,
  type Usage,
  type UsageCodec,
} from '@switchyard/plugin-api';

/** Acme reports usage as `{ "usage": { "input_tokens": 3, "output_tokens": 5 } }`. */
function toUsage(body: unknown): Usage | null {
  if (!isRecord(body) || !isRecord(body.usage)) return null;
  const usage: Usage = {
    ...emptyUsage(),
    inputTokens: tokenCount(body.usage.input_tokens),
    outputTokens: tokenCount(body.usage.output_tokens),
    raw: body.usage,
  };
  const model = nonEmptyString(body.model);
  if (model) usage.model = model;
  return usage;
}

/** Unary answers carry usage in the body; streams in their `done` event. */
const acmeUsage: UsageCodec = {
  fromJson: toUsage,
  createStreamTap() {
    let usage: Usage | null = null;
    return createSseUsageTap(
      (event) => (usage = toUsage(parseJsonSafely(event.data)) ?? usage),
      () => usage,
      { events: ['done'] },
    );
  },
};

/** The wire format Acme clients speak. */
export const acmeProtocol: ProtocolDefinition = {
  id: 'acme-chat',
  family: 'acme',
  describe(request) {
    const body = isRecord(request.body) ? request.body : {};
    const model = nonEmptyString(body.model);
    return model ? { model, stream: body.stream === true } : { stream: body.stream === true };
  },
  renderError: (error) => ({ status: error.status, body: { error: { type: error.code, message: error.message } } }),
  renderStreamError: (error) => formatSse({ error: { type: error.code, message: error.message } }, 'error'),
  usage: acmeUsage,
};

/** Accounts holding an Acme API key (every account type also accepts a `baseUrl`). */
export const acmeKeyAccountType = defineAccountType({
  id: 'acme-key',
  label: 'Acme API key',
  credentials: z.object({ apiKey: secret(z.string().min(8)) }),
  serves: ['acme-chat'],
  models: { defaults: ['acme-*'] },
  listModels: () => ['acme-1'],
  adapter: {
    async send({ request, credentials, http, signal }) {
      const root = splitBaseUrl(credentials.baseUrl ?? 'https://api.acme.example').root;
      const headers = { ...request.headers, authorization: `Bearer ${credentials.apiKey}`, 'accept-encoding': 'identity' };
      return callUpstream(http, `${root}/v1/chat`, { method: 'POST', headers, body: request.rawBody, signal }, 'acme');
    },
  },
});

/** The Acme plugin. */
export default definePlugin({
  id: 'acme',
  apiVersion: PLUGIN_API_VERSION,
  protocols: [acmeProtocol],
  accountTypes: [acmeKeyAccountType],
  routes: { mounts: ['/acme'], routes: [{ method: 'POST', path: '/v1/chat', protocol: 'acme-chat', operation: 'chat' }] },
  pricing: { 'acme-*': { input: 1, output: 2 } },
});
