/**
 * The `gemini-code-assist` protocol: the Code Assist `v1internal:{method}` API Gemini
 * CLI uses in "login with Google" mode. Request and response envelopes
 * (`{ model, project, request }` / `{ response, traceId }`) are relayed as they are.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import type { InboundRequest, ProtocolDefinition, RequestFacts } from '@switchyard/plugin-api';
import { GEMINI_FAMILY, isUserTurn, STREAM_ACTION } from './gemini-protocol.js';
import { geminiUsageCodec } from './gemini-usage-codec.js';
import { renderGoogleError, renderGoogleStreamError } from './google-error.js';

/** The protocol id. */
export const GEMINI_CODE_ASSIST = 'gemini-code-assist';

/** Code Assist methods that carry a model call (and are scheduled by model). */
export const MODEL_METHODS: ReadonlySet<string> = new Set(['generateContent', STREAM_ACTION, 'countTokens']);

function describeCodeAssist(request: InboundRequest): RequestFacts {
  const method = request.params.method;
  const body = isRecord(request.body) ? request.body : {};
  const inner = isRecord(body.request) ? body.request : {};
  const facts: RequestFacts = { stream: method === STREAM_ACTION };
  const model = nonEmptyString(body.model) ?? nonEmptyString(inner.model)?.replace(/^models\//, '');
  const modelCall = method !== undefined && MODEL_METHODS.has(method);
  if (model && modelCall) facts.model = model;
  // loadCodeAssist, onboardUser, quota and operation polls: no model by design (keys with model rules pass them).
  if (!modelCall) facts.modelless = true;
  const session = nonEmptyString(inner.session_id);
  if (session) facts.sessionKey = session;
  const userTurn = isUserTurn(inner.contents);
  if (userTurn !== undefined) facts.userTurn = userTurn;
  return facts;
}

/** The `gemini-code-assist` protocol definition. */
export const geminiCodeAssistProtocol: ProtocolDefinition = {
  id: GEMINI_CODE_ASSIST,
  family: GEMINI_FAMILY,
  label: 'Gemini Code Assist (v1internal)',
  describe: describeCodeAssist,
  renderError: renderGoogleError,
  renderStreamError: renderGoogleStreamError,
  usage: geminiUsageCodec,
};
