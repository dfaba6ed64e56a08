/**
 * The `anthropic-messages` protocol: the Anthropic Messages API as Claude Code and the
 * official SDKs speak it (`POST /v1/messages`, unary and SSE on the same path).
 */
import { isRecord, withJsonBodyModel } from '@switchyard/plugin-api';
import type { InboundRequest, ProtocolDefinition, RequestFacts } from '@switchyard/plugin-api';
import { renderAnthropicError, renderAnthropicStreamError } from './anthropic-error.js';
import { anthropicSessionKey } from './anthropic-session-key.js';
import { anthropicStreamStartError } from './anthropic-stream-start.js';
import { anthropicUsageCodec } from './anthropic-usage-codec.js';

/** The protocol id, referenced by routes and account types (also by other plugins). */
export const ANTHROPIC_MESSAGES = 'anthropic-messages';

/** True when the last message is a user turn that is not only tool results. */
function isUserTurn(messages: unknown): boolean | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const last: unknown = messages[messages.length - 1];
  if (!isRecord(last) || last.role !== 'user') return false;
  if (!Array.isArray(last.content)) return true;
  return last.content.some((block) => !isRecord(block) || block.type !== 'tool_result');
}

/** Reads model, stream flag, session key and user turn. Never throws. */
export function describeAnthropicRequest(request: InboundRequest): RequestFacts {
  const body = isRecord(request.body) ? request.body : {};
  const facts: RequestFacts = { stream: body.stream === true };
  if (typeof body.model === 'string' && body.model !== '') facts.model = body.model;
  const sessionKey = anthropicSessionKey(request);
  if (sessionKey) facts.sessionKey = sessionKey;
  const userTurn = isUserTurn(body.messages);
  if (userTurn !== undefined) facts.userTurn = userTurn;
  return facts;
}

/** The Anthropic Messages protocol definition. */
export const anthropicMessagesProtocol: ProtocolDefinition = {
  id: ANTHROPIC_MESSAGES,
  family: 'claude',
  label: 'Anthropic Messages',
  describe: describeAnthropicRequest,
  withModel: (request, model) => withJsonBodyModel(request, model),
  renderError: renderAnthropicError,
  renderStreamError: renderAnthropicStreamError,
  streamStartError: anthropicStreamStartError,
  streamStartEvents: ['error'],
  usage: anthropicUsageCodec,
};
