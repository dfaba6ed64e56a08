/**
 * How claude-relay-service Droid (Factory.ai) accounts (`droid:account:{id}`, salt
 * `droid-account-salt`) become `droid` accounts (`switchyard import crs`): API-key
 * accounts with their keys, OAuth accounts with their WorkOS tokens. Keys bind through
 * `droidAccountId` (also `group:<id>`).
 */
import type { AccountImport } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** The API keys of an `api_key` account: a JSON list of strings or of entries holding a (maybe encrypted) key. */
function apiKeysOf(value: string | undefined, decrypt: (value: unknown) => string | undefined): string[] {
  let list: unknown;
  try {
    list = value ? JSON.parse(value) : [];
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const keys: string[] = [];
  for (const entry of list) {
    const raw =
      typeof entry === 'string'
        ? entry
        : ((entry as Record<string, unknown> | null)?.key ??
          (entry as Record<string, unknown> | null)?.apiKey ??
          (entry as Record<string, unknown> | null)?.encryptedKey);
    const status = typeof entry === 'object' && entry !== null ? text((entry as Record<string, unknown>).status) : '';
    const key = decrypt(raw);
    if (key && key.length >= 8 && status !== 'error' && status !== 'disabled') keys.push(key);
  }
  return keys;
}

/** Droid accounts. */
export const droidCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'droid:account:',
  salt: 'droid-account-salt',
  keyBindings: [{ field: 'droidAccountId' }],
  map(record, decrypt) {
    const endpoint = text(record.endpointType);
    const settings = ['anthropic', 'openai', 'comm'].includes(endpoint) ? { endpoints: [endpoint] } : {};
    if (text(record.authenticationMethod) === 'api_key') {
      const apiKeys = apiKeysOf(decrypt(record.apiKeys), decrypt);
      if (apiKeys.length === 0) return { skip: 'none of its API keys can be decrypted or is active' };
      return { credentials: { apiKeys }, settings };
    }
    const accessToken = decrypt(record.accessToken);
    const refreshToken = decrypt(record.refreshToken);
    if (!accessToken && !refreshToken) return { skip: 'its tokens cannot be decrypted (wrong --encryption-key?)' };
    const rawExpiry = text(record.expiresAt);
    const expires = /^\d+$/.test(rawExpiry) ? Number(rawExpiry) : Date.parse(rawExpiry);
    const organizationId = text(record.organizationId);
    return {
      credentials: {
        ...(accessToken ? { accessToken } : {}),
        ...(refreshToken ? { refreshToken } : {}),
        ...(Number.isFinite(expires) && expires > 0 ? { expiresAt: new Date(expires).toISOString() } : {}),
        ...(organizationId ? { organizationId } : {}),
      },
      settings,
    };
  },
};
