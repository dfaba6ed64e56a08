/**
 * The `gemini` protocol: the Gemini API's `models/{model}:{action}` calls
 * (`generateContent`, `streamGenerateContent` as SSE with `?alt=sse` or as a JSON array
 * without it, `countTokens`), under `/v1beta` and `/v1`.
 */
import { isRecord, nonEmptyString } from '@switchyard/plugin-api';
import type { InboundRequest, ProtocolDefinition, RequestFacts } from '@switchyard/plugin-api';
import { geminiUsageCodec } from './gemini-usage-codec.js';
import { renderGoogleError, renderGoogleStreamError } from './google-error.js';

/** The protocol id. */
export const GEMINI = 'gemini';

/** The permission family of both Gemini protocols. */
export const GEMINI_FAMILY = 'gemini';

/** The streaming action. */
export const STREAM_ACTION = 'streamGenerateContent';

/** The generateContent actions, each a route of its own (`/v1beta/models/{model}:{action}`). */
export const GEMINI_ACTIONS = ['generateContent', STREAM_ACTION, 'countTokens'] as const;

/** The action at the end of a `models/{model}:{action}` path, if any. */
export function actionOfPath(path: string): string | undefined {
  return /:([A-Za-z]+)$/.exec(path)?.[1];
}

/** True when the last turn of `contents` is the user's own words (not a tool result). */
export function isUserTurn(contents: unknown): boolean | undefined {
  if (!Array.isArray(contents) || contents.length === 0) return undefined;
  const last: unknown = contents[contents.length - 1];
  if (!isRecord(last)) return undefined;
  if (last.role !== undefined && last.role !== 'user') return false;
  const parts = Array.isArray(last.parts) ? last.parts : [];
  return !parts.some((part) => isRecord(part) && part.functionResponse !== undefined);
}

function describeGemini(request: InboundRequest): RequestFacts {
  const model = request.params.model?.replace(/^models\//, '');
  const facts: RequestFacts = { stream: actionOfPath(request.path) === STREAM_ACTION };
  if (model) facts.model = model;
  const body = isRecord(request.body) ? request.body : {};
  const session = nonEmptyString(request.headers['x-gemini-session']) ?? nonEmptyString(body.cachedContent);
  if (session) facts.sessionKey = session;
  const userTurn = isUserTurn(body.contents);
  if (userTurn !== undefined) facts.userTurn = userTurn;
  return facts;
}

/**
 * The request asking for `model`: the model is in the path (`/v1beta/models/{model}:{action}`),
 * so path and params change and the body stays the client's bytes.
 */
export function withGeminiModel(request: InboundRequest, model: string): InboundRequest | undefined {
  const current = request.params.model;
  const action = actionOfPath(request.path);
  if (current === undefined || action === undefined) return undefined;
  const prefix = request.path.slice(0, request.path.length - `${current}:${action}`.length);
  const named = current.startsWith('models/') ? `models/${model}` : model;
  return { ...request, path: `${prefix}${named}:${action}`, params: { ...request.params, model: named } };
}

/** The `gemini` protocol definition. */
export const geminiProtocol: ProtocolDefinition = {
  id: GEMINI,
  family: GEMINI_FAMILY,
  label: 'Gemini API (generateContent)',
  describe: describeGemini,
  withModel: withGeminiModel,
  renderError: renderGoogleError,
  renderStreamError: renderGoogleStreamError,
  usage: geminiUsageCodec,
};
