/**
 * The `gemini -> gemini-code-assist` translator: Gemini API clients (the genai SDK,
 * Gemini CLI with an API key) served by Google-account (Code Assist) accounts. Requests
 * are wrapped in the Code Assist envelope (`{ model, project, request }`, the project
 * filled in by the adapter) and answers unwrapped from `{ response }`.
 */
import {
  createSseStreamTranslator,
  formatSse,
  type StreamTranslator,
  type TranslatorDefinition,
  isRecord,
  parseJsonSafely,
} from '@switchyard/plugin-api';
import { GEMINI_CODE_ASSIST } from './gemini-code-assist-protocol.js';
import { GEMINI } from './gemini-protocol.js';

/** Unwraps `{ response }` envelopes, leaving other bodies (countTokens, errors) as they are. */
export function unwrapEnvelope(body: unknown): unknown {
  return isRecord(body) && isRecord(body.response) ? body.response : body;
}

function createUnwrapStream(): StreamTranslator {
  return createSseStreamTranslator((event) => {
    const data = parseJsonSafely(event.data);
    return data === undefined ? formatSse(event.data) : formatSse(unwrapEnvelope(data));
  });
}

/** Wraps Gemini API requests for Code Assist and unwraps the answers. */
export const geminiToCodeAssistTranslator: TranslatorDefinition = {
  from: GEMINI,
  to: GEMINI_CODE_ASSIST,
  lossy: [
    'streams are always sent as SSE (clients that asked for the JSON-array stream without alt=sse get SSE)',
    'cachedContent references of the Gemini API do not exist in Code Assist',
  ],
  request(body, context) {
    if (!isRecord(body)) throw new Error('the body must be a JSON object');
    const model = context.model ?? '';
    const operation = context.operation;
    if (operation === 'countTokens')
      return { body: { request: { model: `models/${model}`, contents: body.contents ?? [] } }, operation };
    return { body: { model, request: body }, operation, stream: context.stream };
  },
  response: (body) => unwrapEnvelope(body),
  error: (body) => body,
  createStream: () => createUnwrapStream(),
};
