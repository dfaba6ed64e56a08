/**
 * How claude-relay-service records become Claude accounts (`switchyard import crs`):
 * official OAuth accounts (`claude:account:{id}`, secrets under the salt `salt`) and
 * Claude Console accounts (`claude_console_account:{id}`, salt `claude-console-salt`).
 * Keys bind to them through `claudeAccountId` (also `group:<id>`) and
 * `claudeConsoleAccountId`.
 */
import type { AccountImport, SourceRecord } from '@switchyard/plugin-api';

/** What the reference's weekly "Opus" cap really counts: every Claude-family model. */
const CLAUDE_FAMILY = ['claude-*', '*opus*', '*sonnet*', '*haiku*'];

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** `supportedModels`: a JSON list (allow-list) or object (requested -> upstream); empty = all. */
export function crsModelSettings(value: unknown): Record<string, unknown> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = value.trim() === '' ? undefined : JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (Array.isArray(parsed)) {
    const models = parsed.filter((model): model is string => typeof model === 'string' && model !== '');
    return models.length > 0 ? { models } : {};
  }
  if (parsed !== null && typeof parsed === 'object') {
    const mapping = Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
    );
    return Object.keys(mapping).length > 0 ? { modelMapping: mapping } : {};
  }
  return {};
}

/** The reference's `apiUrl` (which may end in `/v1/messages`) as a base URL. */
function baseUrlOf(apiUrl: unknown): string | undefined {
  const url = text(apiUrl)
    .trim()
    .replace(/\/+$/, '')
    .replace(/\/v1\/messages$/, '')
    .replace(/\/v1$/, '');
  return url === '' ? undefined : url;
}

function dailyQuota(record: SourceRecord): Record<string, unknown> {
  const quota = Number.parseFloat(text(record.dailyQuota));
  if (!Number.isFinite(quota) || quota <= 0) return {};
  const reset = text(record.quotaResetTime);
  return { dailyQuotaUsd: quota, ...(/^([01]\d|2[0-3]):[0-5]\d$/.test(reset) ? { quotaResetTime: reset } : {}) };
}

/** Claude Console accounts. */
export const claudeConsoleCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'claude_console_account:',
  salt: 'claude-console-salt',
  keyBindings: [{ field: 'claudeConsoleAccountId' }],
  weeklyCapModels: CLAUDE_FAMILY,
  map(record, decrypt) {
    const apiKey = decrypt(record.apiKey);
    if (!apiKey) return { skip: 'its API key cannot be decrypted (wrong --encryption-key?)' };
    const baseUrl = baseUrlOf(record.apiUrl);
    return {
      credentials: { apiKey, ...(baseUrl ? { baseUrl } : {}) },
      settings: { ...crsModelSettings(record.supportedModels), ...dailyQuota(record) },
    };
  },
};

interface OAuthBlob {
  accessToken?: unknown;
  refreshToken?: unknown;
  expiresAt?: unknown;
  scopes?: unknown;
}

function oauthBlob(record: SourceRecord, decrypt: (value: unknown) => string | undefined): OAuthBlob {
  const blob = decrypt(record.claudeAiOauth);
  if (blob) {
    try {
      const parsed: unknown = JSON.parse(blob);
      if (parsed !== null && typeof parsed === 'object') return parsed as OAuthBlob;
    } catch {
      // fall back to the separate fields
    }
  }
  return {};
}

/** Claude official (OAuth / setup-token) accounts. */
export const claudeOAuthCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'claude:account:',
  salt: 'salt',
  keyBindings: [{ field: 'claudeAccountId' }],
  weeklyCapModels: CLAUDE_FAMILY,
  map(record, decrypt) {
    const blob = oauthBlob(record, decrypt);
    const accessToken = text(blob.accessToken) || decrypt(record.accessToken);
    if (!accessToken) return { skip: 'its access token cannot be decrypted (wrong --encryption-key?)' };
    const refreshToken = text(blob.refreshToken) || decrypt(record.refreshToken);
    const expires = Number(blob.expiresAt ?? record.expiresAt);
    const scopes = Array.isArray(blob.scopes) ? blob.scopes.join(' ') : text(record.scopes);
    return {
      credentials: {
        accessToken,
        ...(refreshToken ? { refreshToken } : {}),
        ...(Number.isFinite(expires) && expires > 0 ? { expiresAt: new Date(expires).toISOString() } : {}),
        ...(scopes ? { scopes } : {}),
      },
    };
  },
};
