/**
 * The `droid` account test. Factory has no documented cheap endpoint to check a
 * credential without spending credits, so the probe calls nothing: it reports what the
 * gateway knows. For API keys, how many there are and which failed authentication
 * recently (by fingerprint, with when and the status); for a sign-in, when the access
 * token expires. It is `ok` while at least one key works, or while the sign-in has a
 * token the gateway can refresh.
 */
import { timestampMs, type AccountContext, type ProbeResult } from '@switchyard/plugin-api';
import type { DroidCredentials } from './droid-credentials.js';
import { DroidKeyPool } from './droid-key-pool.js';

/** Probes one account. */
export async function droidProbe(context: AccountContext<DroidCredentials>, pool: DroidKeyPool): Promise<ProbeResult> {
  const { credentials, account, kv } = context;
  if (credentials.apiKeys?.length) {
    const keys = DroidKeyPool.keysOf(credentials.apiKeys);
    const failed = await pool.failedMarks(kv, account.id, keys);
    const working = keys.length - failed.size;
    return {
      ok: working > 0,
      message: `${working} of ${keys.length} API keys usable; ${failed.size} skipped after failing authentication`,
      details: {
        keys: keys.map((key) => {
          const mark = failed.get(key.fingerprint);
          return mark ? { key: key.fingerprint, failedAt: mark.at, status: mark.status } : { key: key.fingerprint, ok: true };
        }),
      },
    };
  }
  if (credentials.accessToken) {
    const expiresAt = timestampMs(credentials.expiresAt);
    const details: Record<string, unknown> = { organizationId: credentials.organizationId ?? null };
    if (expiresAt !== undefined) details.expiresAt = new Date(expiresAt).toISOString();
    const refreshable = credentials.refreshToken !== undefined;
    const live = expiresAt === undefined || expiresAt > Date.now();
    return {
      ok: live || refreshable,
      message: live ? 'signed in; the token is refreshed before it expires' : 'the access token expired',
      details,
    };
  }
  return { ok: false, message: 'no API key and no sign-in: add apiKeys or sign in with the device code' };
}
