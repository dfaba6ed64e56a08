/**
 * How claude-relay-service records become OpenAI accounts (`switchyard import crs`):
 * ChatGPT/Codex OAuth accounts (`openai:account:{id}`, salt `openai-account-salt`; keys
 * bind through `openaiAccountId`) and Responses API-key accounts
 * (`openai_responses_account:{id}`, salt `openai-responses-salt`; bound as
 * `openaiAccountId: responses:<id>`).
 */
import type { AccountImport } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function expiryOf(value: unknown): string {
  const raw = text(value);
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  // Without a known expiry the token counts as expired, so the first use refreshes it.
  return new Date(Number.isFinite(ms) && ms > 0 ? ms : 0).toISOString();
}

/** ChatGPT / Codex OAuth accounts. */
export const openAiCodexCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'openai:account:',
  salt: 'openai-account-salt',
  keyBindings: [{ field: 'openaiAccountId' }],
  map(record, decrypt) {
    const accessToken = decrypt(record.accessToken);
    const refreshToken = decrypt(record.refreshToken);
    if (!accessToken || !refreshToken) return { skip: 'its tokens cannot be decrypted (wrong --encryption-key?)' };
    const accountId = text(record.accountId) || text(record.chatgptAccountId);
    if (!accountId) return { skip: 'it has no ChatGPT account id' };
    return { credentials: { accessToken, refreshToken, expiresAt: expiryOf(record.expiresAt), accountId } };
  },
};

/** Responses API-key accounts (any OpenAI-compatible Responses endpoint). */
export const openAiApiCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'openai_responses_account:',
  salt: 'openai-responses-salt',
  keyBindings: [{ field: 'openaiAccountId', prefix: 'responses:' }],
  map(record, decrypt) {
    const apiKey = decrypt(record.apiKey);
    if (!apiKey) return { skip: 'its API key cannot be decrypted (wrong --encryption-key?)' };
    const baseUrl = text(record.baseApi).trim().replace(/\/+$/, '').replace(/\/v1$/, '');
    const custom = baseUrl !== '' && baseUrl !== 'https://api.openai.com';
    return { credentials: { apiKey, ...(custom ? { baseUrl } : {}) } };
  },
};
