/**
 * Recognises Claude Code (`user-agent: claude-cli/<version> (…)`), so keys can be
 * restricted to it (`limits.clients: ["claude-code"]`).
 */
import type { ClientDetector } from '@switchyard/plugin-api';

const CLAUDE_CLI = /^claude-cli\/\d+\.\d+\.\d+/;

/** The Claude Code client detector. */
export const claudeCodeClientDetector: ClientDetector = {
  id: 'claude-code',
  label: 'Claude Code',
  matches: (request) => CLAUDE_CLI.test(request.headers['user-agent'] ?? ''),
};
