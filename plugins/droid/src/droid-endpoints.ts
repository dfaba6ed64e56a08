/**
 * Factory's three LLM endpoints under its API origin, and the protocol each speaks:
 * `anthropic` (`/api/llm/a/v1/messages`, Anthropic Messages), `openai`
 * (`/api/llm/o/v1/responses`, OpenAI Responses) and `comm` (`/api/llm/o/v1/chat/completions`,
 * OpenAI chat completions, the endpoint of Factory's other models).
 */
import { ANTHROPIC_MESSAGES, OPENAI_CHAT, OPENAI_RESPONSES } from './protocol-ids.js';

/** The endpoint kinds, as account settings name them. */
export const DROID_ENDPOINT_KINDS = ['anthropic', 'openai', 'comm'] as const;

/** One of {@link DROID_ENDPOINT_KINDS}. */
export type DroidEndpointKind = (typeof DROID_ENDPOINT_KINDS)[number];

/** What each endpoint kind serves and where it lives below the API origin. */
export const DROID_ENDPOINTS: Readonly<Record<DroidEndpointKind, { protocol: string; path: string }>> = {
  anthropic: { protocol: ANTHROPIC_MESSAGES, path: '/api/llm/a/v1/messages' },
  openai: { protocol: OPENAI_RESPONSES, path: '/api/llm/o/v1/responses' },
  comm: { protocol: OPENAI_CHAT, path: '/api/llm/o/v1/chat/completions' },
};

/** The endpoint kind serving a protocol, or undefined for a protocol Factory does not speak. */
export function endpointKindOf(protocol: string): DroidEndpointKind | undefined {
  return DROID_ENDPOINT_KINDS.find((kind) => DROID_ENDPOINTS[kind].protocol === protocol);
}
