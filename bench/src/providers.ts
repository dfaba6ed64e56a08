/**
 * The routes the bench measures. Each provider is one wire format on the fake upstream,
 * one plugin and one account in the gateway, and the same request sent to both:
 *
 * - `echo`: the example echo plugin (`echo-key` account), `POST /v1/echo` on the fake,
 *   `POST /echo/v1/echo` on the gateway, keys as `Authorization: Bearer`.
 * - `claude`: `@switchyard/plugin-claude` (`claude-console` account whose `baseUrl` is the
 *   fake), `POST /v1/messages` on the fake, `POST /api/v1/messages` on the gateway (the
 *   path Claude Code uses with `ANTHROPIC_BASE_URL=http://host:3000/api/`), keys as
 *   `x-api-key` the way Claude Code sends `ANTHROPIC_API_KEY`. The request carries Claude
 *   Code's `metadata.user_id` with a session id, so the sticky-session path runs too.
 * - `bedrock`: `@switchyard/plugin-bedrock` (a `bedrock` account signing with SigV4, the
 *   Claude plugin loaded for the protocol and routes), the claude route's request on the
 *   gateway; on the fake, Bedrock's `/model/{id}/invoke` and `/invoke-with-response-stream`,
 *   answered with the same Anthropic events as binary event-stream frames, which the
 *   gateway decodes and re-emits as SSE (the hot path this route measures).
 */

export type ProviderId = 'echo' | 'claude' | 'bedrock';
export type Mode = 'stream' | 'unary';

export const PROVIDER_IDS: readonly ProviderId[] = ['echo', 'claude', 'bedrock'];

export interface Provider {
  id: ProviderId;
  /** Path on the fake upstream (direct target). */
  upstreamPath(mode: Mode): string;
  /** Path on the gateway. */
  gatewayPath: string;
  requestBody(mode: Mode): string;
  /** Headers of a direct request, with the upstream key. */
  directHeaders(upstreamKey: string): Record<string, string>;
  /** Headers of a gateway request, with the Switchyard client key. */
  gatewayHeaders(clientKey: string): Record<string, string>;
  /** A response counts as complete only when its last bytes contain this. */
  mustContain(mode: Mode): string;
  /** The same for the direct answer, when it differs (default {@link Provider.mustContain}). */
  directMustContain?(mode: Mode): string;
}

/** The Anthropic API version Claude Code and the SDKs send. */
const ANTHROPIC_VERSION = '2023-06-01';
/** A priced model (no "assumed price" flag), `claude-sonnet-4-5*` in the plugin's table. */
export const CLAUDE_BENCH_MODEL = 'claude-sonnet-4-5-20250929';
const CLAUDE_USER_ID = JSON.stringify({
  device_id: '5f0c8a4e2b7d4c1e9a3f6b8d0e2c4a6f5f0c8a4e2b7d4c1e9a3f6b8d0e2c4a6f',
  account_uuid: '',
  session_id: '0b6a2f3e-8c1d-4e5f-9a7b-1c2d3e4f5a6b',
});

const echo: Provider = {
  id: 'echo',
  upstreamPath: () => '/v1/echo',
  gatewayPath: '/echo/v1/echo',
  requestBody: (mode) =>
    JSON.stringify({ model: 'echo-1', input: 'The quick brown fox jumps over the lazy dog', stream: mode === 'stream' }),
  directHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  gatewayHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  mustContain: (mode) => (mode === 'stream' ? 'event: done' : '"usage"'),
};

const claude: Provider = {
  id: 'claude',
  upstreamPath: () => '/v1/messages',
  gatewayPath: '/api/v1/messages',
  requestBody: (mode) =>
    JSON.stringify({
      model: CLAUDE_BENCH_MODEL,
      max_tokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'The quick brown fox jumps over the lazy dog' }] }],
      metadata: { user_id: CLAUDE_USER_ID },
      stream: mode === 'stream',
    }),
  directHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION }),
  gatewayHeaders: (key) => ({ 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION }),
  mustContain: (mode) => (mode === 'stream' ? 'event: message_stop' : '"usage"'),
};

/** The Bedrock model id of {@link CLAUDE_BENCH_MODEL}, as the bedrock account's table sends it. */
export const BEDROCK_BENCH_MODEL_ID = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

const bedrock: Provider = {
  ...claude,
  id: 'bedrock',
  upstreamPath: (mode) =>
    `/model/${encodeURIComponent(BEDROCK_BENCH_MODEL_ID)}/${mode === 'stream' ? 'invoke-with-response-stream' : 'invoke'}`,
  directHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  // The direct answer is binary frames whose event JSON is base64: the last one's starts so.
  directMustContain: (mode) => (mode === 'stream' ? Buffer.from('{"type":"message_stop', 'utf8').toString('base64') : '"usage"'),
};

export const PROVIDERS: Readonly<Record<ProviderId, Provider>> = { echo, claude, bedrock };
