/**
 * The `openai-chat` protocol: OpenAI Chat Completions (`POST /v1/chat/completions`),
 * unary JSON or SSE `data:` chunks ending with `data: [DONE]`.
 */
import {
  formatSse,
  type InboundRequest,
  type ProtocolDefinition,
  type RequestFacts,
  isRecord,
  nonEmptyString,
  withJsonBodyModel,
} from '@switchyard/plugin-api';
import { chatUsageCodec } from './chat-usage-codec.js';
import { openAiErrorBody, renderOpenAiError } from './openai-error.js';

/** The protocol id. */
export const OPENAI_CHAT = 'openai-chat';

/** The permission family of both OpenAI protocols. */
export const OPENAI_FAMILY = 'openai';

function describeChat(request: InboundRequest): RequestFacts {
  const body = isRecord(request.body) ? request.body : {};
  const facts: RequestFacts = { stream: body.stream === true };
  const model = nonEmptyString(body.model);
  if (model) facts.model = model;
  const session =
    nonEmptyString(body.prompt_cache_key) ??
    nonEmptyString(request.headers['session_id']) ??
    nonEmptyString(request.headers['x-session-id']);
  if (session) facts.sessionKey = session;
  if (Array.isArray(body.messages) && body.messages.length > 0) {
    const last: unknown = body.messages[body.messages.length - 1];
    facts.userTurn = isRecord(last) && last.role === 'user';
  }
  return facts;
}

/** The `openai-chat` protocol definition. */
export const openAiChatProtocol: ProtocolDefinition = {
  id: OPENAI_CHAT,
  family: OPENAI_FAMILY,
  label: 'OpenAI Chat Completions',
  describe: describeChat,
  withModel: (request, model) => withJsonBodyModel(request, model),
  renderError: renderOpenAiError,
  renderStreamError(error) {
    return formatSse(openAiErrorBody(error));
  },
  usage: chatUsageCodec,
};
