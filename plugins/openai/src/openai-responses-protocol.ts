/**
 * The `openai-responses` protocol: the OpenAI Responses API (`POST /v1/responses`),
 * what Codex CLI speaks. Unary JSON or typed SSE (`type` in every event's JSON).
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
import { OPENAI_FAMILY } from './openai-chat-protocol.js';
import { renderOpenAiError } from './openai-error.js';
import { responsesUsageCodec } from './responses-usage-codec.js';
import { RESPONSES_START_ERROR_EVENTS, responsesStreamStartError } from './responses-stream-start.js';

/** The protocol id. */
export const OPENAI_RESPONSES = 'openai-responses';

function isUserTurn(input: unknown): boolean | undefined {
  if (typeof input === 'string') return true;
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const last: unknown = input[input.length - 1];
  if (!isRecord(last)) return undefined;
  return last.role === 'user' && (last.type === undefined || last.type === 'message');
}

function describeResponses(request: InboundRequest): RequestFacts {
  const body = isRecord(request.body) ? request.body : {};
  const facts: RequestFacts = { stream: body.stream === true };
  const model = nonEmptyString(body.model);
  if (model) facts.model = model;
  const session =
    nonEmptyString(body.prompt_cache_key) ??
    nonEmptyString(request.headers['session-id']) ??
    nonEmptyString(request.headers['session_id']) ??
    nonEmptyString(request.headers['conversation_id']);
  if (session) facts.sessionKey = session;
  const userTurn = isUserTurn(body.input);
  if (userTurn !== undefined) facts.userTurn = userTurn;
  return facts;
}

/** The `openai-responses` protocol definition. */
export const openAiResponsesProtocol: ProtocolDefinition = {
  id: OPENAI_RESPONSES,
  family: OPENAI_FAMILY,
  label: 'OpenAI Responses',
  describe: describeResponses,
  withModel: (request, model) => withJsonBodyModel(request, model),
  renderError: renderOpenAiError,
  renderStreamError(error) {
    return formatSse({ type: 'error', code: error.code, message: error.message, param: null }, 'error');
  },
  streamStartError: responsesStreamStartError,
  streamStartEvents: RESPONSES_START_ERROR_EVENTS,
  usage: responsesUsageCodec,
};
