/**
 * How claude-relay-service records become Gemini accounts (`switchyard import crs`):
 * Gemini CLI OAuth accounts (`gemini_account:{id}`, salt `gemini-account-salt`; keys bind
 * through `geminiAccountId`) and API-key accounts (`gemini_api_account:{id}`, salt
 * `gemini-api-salt`; bound as `geminiAccountId: api:<id>`).
 */
import type { AccountImport, SourceRecord } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

function parseJson(value: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = value ? JSON.parse(value) : undefined;
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** `supportedModels` as the `models` setting (a JSON list; anything else: the defaults). */
function modelsOf(record: SourceRecord): Record<string, unknown> {
  const list = parseJson(`{"m":${text(record.supportedModels) || 'null'}}`).m;
  const models = Array.isArray(list) ? list.filter((m): m is string => typeof m === 'string' && m !== '') : [];
  return models.length > 0 ? { models } : {};
}

/** An expiry given in epoch ms (number or digits) or as a date string, as ISO 8601. */
function expiryOf(...values: unknown[]): string | undefined {
  for (const value of values) {
    const raw = text(value);
    if (raw === '') continue;
    const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (Number.isFinite(ms) && ms > 0) return new Date(ms).toISOString();
  }
  return undefined;
}

/** Gemini CLI (Code Assist) OAuth accounts. */
export const geminiOAuthCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'gemini_account:',
  salt: 'gemini-account-salt',
  keyBindings: [{ field: 'geminiAccountId' }],
  map(record, decrypt) {
    if (text(record.oauthProvider) === 'antigravity') return { skip: 'Antigravity accounts have no Switchyard account type' };
    const blob = parseJson(decrypt(record.geminiOauth));
    const accessToken = decrypt(record.accessToken) ?? text(blob.access_token);
    const refreshToken = decrypt(record.refreshToken) ?? text(blob.refresh_token);
    if (!accessToken || !refreshToken) return { skip: 'its tokens cannot be decrypted (wrong --encryption-key?)' };
    const projectId = text(record.projectId) || text(record.tempProjectId);
    return {
      // Without a known expiry the token counts as expired, so the first use refreshes it.
      credentials: {
        accessToken,
        refreshToken,
        expiresAt: expiryOf(record.expiresAt, blob.expiry_date) ?? new Date(0).toISOString(),
        ...(projectId ? { projectId } : {}),
      },
      settings: modelsOf(record),
    };
  },
};

/** Gemini API-key accounts. */
export const geminiApiCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'gemini_api_account:',
  salt: 'gemini-api-salt',
  keyBindings: [{ field: 'geminiAccountId', prefix: 'api:' }],
  map(record, decrypt) {
    const apiKey = decrypt(record.apiKey);
    if (!apiKey) return { skip: 'its API key cannot be decrypted (wrong --encryption-key?)' };
    const baseUrl = text(record.baseUrl).trim().replace(/\/+$/, '');
    const custom = baseUrl !== '' && baseUrl !== 'https://generativelanguage.googleapis.com' && !baseUrl.includes('{');
    return { credentials: { apiKey, ...(custom ? { baseUrl } : {}) }, settings: modelsOf(record) };
  },
};
