/**
 * Forced targets: `/openai/claude/v1/chat/completions` and
 * `/openai/gemini/v1/chat/completions` accept OpenAI chat requests but only go to
 * accounts called in one upstream protocol. The routes carry the target in their
 * operation name (`chat@<protocol>`), and a scheduler filter keeps only candidates
 * whose upstream protocol is that target (for `gemini`: also `gemini-code-assist`).
 */
import type { CandidateFilter } from '@switchyard/plugin-api';
import { OPENAI_CHAT } from './openai-chat-protocol.js';

/** Upstream protocols a forced target admits: Gemini covers API keys and Google (Code Assist) accounts. */
const TARGET_PROTOCOLS: Readonly<Record<string, readonly string[]>> = {
  gemini: ['gemini', 'gemini-code-assist'],
};

/** The operation of the plain chat routes. */
export const CHAT_OPERATION = 'chat';

/** The operation of a chat route forced onto accounts reached in `protocol`. */
export function forcedChatOperation(protocol: string): string {
  return `${CHAT_OPERATION}@${protocol}`;
}

/** The forced upstream protocol of an operation, or undefined for the plain `chat`. */
export function forcedTarget(operation: string): string | undefined {
  return operation.startsWith(`${CHAT_OPERATION}@`) ? operation.slice(CHAT_OPERATION.length + 1) : undefined;
}

/** Drops candidates of a forced-target chat request that would be called in another protocol. */
export const forcedTargetFilter: CandidateFilter = {
  name: 'openai-forced-target',
  filter(candidate, request) {
    if (request.protocol !== OPENAI_CHAT) return true;
    const target = forcedTarget(request.operation);
    if (target === undefined || (TARGET_PROTOCOLS[target] ?? [target]).includes(candidate.protocol)) return true;
    return `this route only uses accounts reached through ${target}`;
  },
};
