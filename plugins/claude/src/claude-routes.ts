/**
 * The Claude plugin's routes, mounted by default at `/api` (claude-relay-service's
 * path, so `ANTHROPIC_BASE_URL=http://host:3000/api/` keeps working), `/claude`, and the
 * bare root (SDKs whose base URL has no prefix): messages (unary and streamed),
 * count_tokens, the model list, and the pre-connect `HEAD` Claude Code sends to its base
 * URL, answered at once without a key and without an upstream call.
 */
import type { RouteHandler, RouteSet } from '@switchyard/plugin-api';
import { ANTHROPIC_MESSAGES } from './anthropic-messages-protocol.js';

/** The model list in Anthropic's `GET /v1/models` shape. */
const listClaudeModels: RouteHandler = async (_request, context) => {
  const ids = [...new Set(await context.listModels(ANTHROPIC_MESSAGES))].sort();
  const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: '1970-01-01T00:00:00Z' }));
  return { status: 200, body: { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null } };
};

const answerPreConnect: RouteHandler = () => ({ status: 200 });

/** Anthropic's documented request size limit for Messages and Token Counting (413 `request_too_large` beyond). */
export const ANTHROPIC_REQUEST_LIMIT_MB = 32;

/** Default mount points of the Claude routes. */
export const CLAUDE_MOUNTS: readonly string[] = ['/api', '/claude', ''];

/** Routes of the Claude plugin. */
export const claudeRoutes: RouteSet = {
  mounts: CLAUDE_MOUNTS,
  routes: [
    {
      method: 'POST',
      path: '/v1/messages',
      protocol: ANTHROPIC_MESSAGES,
      operation: 'messages',
      bodyLimitMb: ANTHROPIC_REQUEST_LIMIT_MB,
    },
    {
      method: 'POST',
      path: '/v1/messages/count_tokens',
      protocol: ANTHROPIC_MESSAGES,
      operation: 'count_tokens',
      bodyLimitMb: ANTHROPIC_REQUEST_LIMIT_MB,
    },
    { method: 'GET', path: '/v1/models', protocol: ANTHROPIC_MESSAGES, operation: 'models', handle: listClaudeModels },
    // '' is the mount point itself, with or without its trailing slash (`HEAD /api`, `HEAD /api/`, `HEAD /`).
    { method: 'HEAD', path: '', protocol: ANTHROPIC_MESSAGES, auth: 'none', handle: answerPreConnect },
  ],
};
