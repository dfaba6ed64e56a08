/**
 * The `/droid` routes, as claude-relay-service has them, for clients that mean Factory:
 *
 * - `POST /droid/claude/v1/messages` (Anthropic Messages: Claude Code, the Anthropic SDKs),
 * - `POST /droid/openai/v1/responses` and `/droid/openai/responses` (OpenAI Responses: Codex CLI, the OpenAI SDK),
 * - `POST /droid/comm/v1/chat/completions` (chat completions: Factory's other models),
 * - `GET /droid/{claude,openai,comm}/v1/models`, each in its protocol's list shape,
 * - `HEAD /droid/claude`, the pre-connect Claude Code sends to its base URL.
 *
 * Only `droid` accounts serve them (droid-route-filter.ts). Operators may remount them.
 */
import type { RouteDefinition, RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { droidOperation } from './droid-route-filter.js';
import { ANTHROPIC_MESSAGES, OPENAI_CHAT, OPENAI_RESPONSES } from './protocol-ids.js';

/** Anthropic's documented request size limit for Messages. */
const ANTHROPIC_REQUEST_LIMIT_MB = 32;

/** The model list in Anthropic's `GET /v1/models` shape. */
const listAnthropicModels: RouteHandler = async (_request, context) => {
  const ids = [...new Set(await context.listModels(ANTHROPIC_MESSAGES))].sort();
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' }));
  return { status: 200, body: { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null } };
};

/** The model list in OpenAI's shape, for one protocol. */
function listOpenAiModels(protocol: string): RouteHandler {
  return async (_request, context) => {
    const ids = [...new Set(await context.listModels(protocol))].sort();
    return {
      status: 200,
      body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'factory' })) },
    };
  };
}

const answerPreConnect: RouteHandler = () => ({ status: 200 });

const post = (path: string, protocol: string, operation: string, bodyLimitMb?: number): RouteDefinition => ({
  method: 'POST',
  path,
  protocol,
  operation: droidOperation(operation),
  ...(bodyLimitMb ? { bodyLimitMb } : {}),
});

/** Default mount point of the Droid routes. */
export const DROID_MOUNTS: readonly string[] = ['/droid'];

/** Routes of the Droid plugin. */
export const droidRoutes: RouteSet = {
  mounts: DROID_MOUNTS,
  routes: [
    post('/claude/v1/messages', ANTHROPIC_MESSAGES, 'messages', ANTHROPIC_REQUEST_LIMIT_MB),
    post('/openai/v1/responses', OPENAI_RESPONSES, 'responses'),
    post('/openai/responses', OPENAI_RESPONSES, 'responses'),
    post('/comm/v1/chat/completions', OPENAI_CHAT, 'chat'),
    { method: 'GET', path: '/claude/v1/models', protocol: ANTHROPIC_MESSAGES, operation: 'models', handle: listAnthropicModels },
    {
      method: 'GET',
      path: '/openai/v1/models',
      protocol: OPENAI_RESPONSES,
      operation: 'models',
      handle: listOpenAiModels(OPENAI_RESPONSES),
    },
    { method: 'GET', path: '/comm/v1/models', protocol: OPENAI_CHAT, operation: 'models', handle: listOpenAiModels(OPENAI_CHAT) },
    { method: 'HEAD', path: '/claude', protocol: ANTHROPIC_MESSAGES, auth: 'none', handle: answerPreConnect },
  ],
};
