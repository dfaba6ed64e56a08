/**
 * The OpenAI routes. They are declared under the bare-root mount `''` with full paths,
 * because the chat route also lives at `/api/v1/chat/completions` (next to another
 * plugin's `/api` routes) while everything else is under `/openai`.
 */
import type { RouteDefinition, RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { CHAT_OPERATION, forcedChatOperation } from './forced-targets.js';
import { OPENAI_CHAT } from './openai-chat-protocol.js';
import { openAiErrorBody } from './openai-error.js';
import { OPENAI_RESPONSES } from './openai-responses-protocol.js';

/** Upstream protocol ids the forced-target routes pin (defined by other plugins). */
export const ANTHROPIC_MESSAGES = 'anthropic-messages';
/** The Gemini generateContent protocol id (defined by the Gemini plugin). */
export const GEMINI = 'gemini';
/** The Gemini Code Assist protocol id (defined by the Gemini plugin). */
export const GEMINI_CODE_ASSIST = 'gemini-code-assist';

function modelList(protocols: readonly string[]): RouteHandler {
  return async (_request, context) => {
    const ids = new Set<string>();
    for (const protocol of protocols) for (const id of await context.listModels(protocol)) ids.add(id);
    return {
      status: 200,
      body: { object: 'list', data: [...ids].sort().map((id) => ({ id, object: 'model', created: 0, owned_by: 'switchyard' })) },
    };
  };
}

/**
 * Codex CLI first tries the Responses API over a WebSocket (`GET` with `Upgrade`); any
 * answer other than 101 makes it fall back to HTTP at once.
 */
const refuseWebSocket: RouteHandler = () => ({
  status: 426,
  headers: { connection: 'close' },
  body: openAiErrorBody({ code: 'not_implemented', status: 426, message: 'WebSocket is not supported here; use HTTP POST.' }),
});

const chat = (path: string, operation = CHAT_OPERATION): RouteDefinition => ({
  method: 'POST',
  path,
  protocol: OPENAI_CHAT,
  operation,
});

/** The plugin's routes, all under the bare-root mount. */
export const openAiRoutes: RouteSet = {
  mounts: [''],
  routes: [
    chat('/openai/v1/chat/completions'),
    chat('/api/v1/chat/completions'),
    chat('/openai/claude/v1/chat/completions', forcedChatOperation(ANTHROPIC_MESSAGES)),
    chat('/openai/gemini/v1/chat/completions', forcedChatOperation(GEMINI)),
    { method: 'POST', path: '/openai/responses', protocol: OPENAI_RESPONSES, operation: 'responses' },
    { method: 'POST', path: '/openai/v1/responses', protocol: OPENAI_RESPONSES, operation: 'responses' },
    { method: 'GET', path: '/openai/responses', protocol: OPENAI_RESPONSES, auth: 'none', handle: refuseWebSocket },
    { method: 'GET', path: '/openai/v1/responses', protocol: OPENAI_RESPONSES, auth: 'none', handle: refuseWebSocket },
    { method: 'GET', path: '/openai/v1/models', protocol: OPENAI_CHAT, handle: modelList([OPENAI_CHAT, OPENAI_RESPONSES]) },
    { method: 'GET', path: '/openai/claude/v1/models', protocol: OPENAI_CHAT, handle: modelList([ANTHROPIC_MESSAGES]) },
    { method: 'GET', path: '/openai/gemini/v1/models', protocol: OPENAI_CHAT, handle: modelList([GEMINI, GEMINI_CODE_ASSIST]) },
  ],
};
