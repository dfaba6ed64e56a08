/**
 * docs/plugins.md sections 3.1 and 5 quote this file: an Acme plugin whose account type
 * depends on the plugin's options. It is type-checked by npm test, so the guide's
 * snippets compile; what they leave out (the routes, the upstream call) is stubbed here.
 */
import {
  callUpstream,
  defineAccountType,
  secret,
  splitBaseUrl,
  type AccountCredentials,
  type RouteSet,
  type UpstreamCall,
  type UpstreamResponse,
} from '@switchyard/plugin-api';
import { acmeProtocol as acmeChatProtocol } from '../third-party-plugin/my-plugin/src/index.js';

const acmeRoutes: RouteSet = {
  mounts: ['/acme'],
  routes: [{ method: 'POST', path: '/v1/chat', protocol: 'acme-chat', operation: 'chat' }],
};

/** The upstream call of section 5.1, reduced to its core. */
function sendToAcme(call: UpstreamCall<AcmeKeyCredentials>, baseUrl: string, apiKey: string): Promise<UpstreamResponse> {
  const headers = { ...call.request.headers, authorization: `Bearer ${apiKey}` };
  const url = `${splitBaseUrl(baseUrl).root}/v1/chat`;
  return callUpstream(call.http, url, { method: 'POST', headers, body: call.request.rawBody, signal: call.signal }, 'acme');
}

import { PLUGIN_API_VERSION, definePlugin, z } from '@switchyard/plugin-api';

export const acmeOptionsSchema = z.object({
  apiUrl: z.string().url().default('https://api.acme.example'),
  oauth: z.object({ clientId: z.string().min(1).optional() }).prefault({}),
});
export type AcmeOptions = z.infer<typeof acmeOptionsSchema>;

export default definePlugin({
  id: 'acme',
  apiVersion: PLUGIN_API_VERSION,
  options: acmeOptionsSchema,
  protocols: [acmeChatProtocol],
  routes: acmeRoutes,
  // `options` is typed from the schema, defaults applied.
  create: ({ options }) => ({ accountTypes: [createAcmeKeyAccountType(options)] }),
});

export const acmeKeyCredentialsSchema = z.object({ apiKey: secret(z.string().min(8)) });
export type AcmeKeyCredentials = AccountCredentials<typeof acmeKeyCredentialsSchema>;

export function createAcmeKeyAccountType(options: AcmeOptions) {
  return defineAccountType({
    id: 'acme-key',
    label: 'Acme API key',
    credentials: acmeKeyCredentialsSchema,
    serves: ['acme-chat', { protocol: 'openai-chat', whenAvailable: true }],
    adapter: {
      send: (call) => sendToAcme(call, call.credentials.baseUrl ?? options.apiUrl, call.credentials.apiKey),
    },
  });
}
