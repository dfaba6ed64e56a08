/**
 * The sticky-session key of an Anthropic Messages request, from the most to the least
 * explicit source: the `session_id` inside `metadata.user_id` (Claude Code's JSON-string
 * form, or the legacy `user_<hash>_account_<uuid>_session_<uuid>` form), then the
 * `x-claude-code-session-id` header, then a hash of the cache-controlled system blocks
 * (stable for a conversation, the prompt cache's own key). Never message content.
 */
import { isRecord, parseJsonSafely } from '@switchyard/plugin-api';
import { createHash } from 'node:crypto';
import type { InboundRequest } from '@switchyard/plugin-api';

const LEGACY_SESSION = /_session_([A-Za-z0-9-]{8,})$/;

/** The session id carried in `metadata.user_id`, in either of its forms. */
export function sessionFromUserId(userId: unknown): string | undefined {
  if (typeof userId !== 'string' || userId === '') return undefined;
  if (userId.trimStart().startsWith('{')) {
    const parsed = parseJsonSafely(userId);
    const session = isRecord(parsed) ? parsed.session_id : undefined;
    return typeof session === 'string' && session !== '' ? session : undefined;
  }
  return LEGACY_SESSION.exec(userId)?.[1];
}

/** A hash of the system blocks marked with `cache_control`, or undefined when there are none. */
export function hashCachedSystemBlocks(system: unknown): string | undefined {
  if (!Array.isArray(system)) return undefined;
  const texts = system
    .filter(
      (block): block is Record<string, unknown> =>
        isRecord(block) && isRecord(block.cache_control) && typeof block.text === 'string',
    )
    .map((block) => block.text as string);
  if (texts.length === 0) return undefined;
  return createHash('sha256').update(texts.join('\n\u0000\n')).digest('hex').slice(0, 32);
}

/** The session key of a request, or undefined when it has no stable one. */
export function anthropicSessionKey(request: InboundRequest): string | undefined {
  const body = isRecord(request.body) ? request.body : {};
  const metadata = isRecord(body.metadata) ? body.metadata : {};
  const fromUserId = sessionFromUserId(metadata.user_id);
  if (fromUserId) return `session:${fromUserId}`;
  const header = request.headers['x-claude-code-session-id'];
  if (header) return `session:${header}`;
  const systemHash = hashCachedSystemBlocks(body.system);
  return systemHash ? `system:${systemHash}` : undefined;
}
