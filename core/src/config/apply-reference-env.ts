/**
 * The reference relay service's (crs) environment variables, accepted where they
 * map to a Switchyard setting, so its `.env` keeps working after the switch. Applied before
 * Switchyard's own variables (apply-env-overrides.ts), so where both set one thing ours
 * win: `REDIS_URL` over `REDIS_HOST`/`REDIS_PORT`/... Like them they override the file.
 * Variables the reference shares with Switchyard by name (`PORT`, `HOST`, `ENCRYPTION_KEY`,
 * `ADMIN_USERNAME`, `ADMIN_PASSWORD`, `LOG_LEVEL`, `LDAP_BIND_PASSWORD`) are Switchyard's
 * own. The full table, with the variables that do not apply and why: docs/migration.md.
 */

/** The reference variables {@link applyReferenceEnv} reads, for docs. */
export const REFERENCE_ENV_VARIABLES = [
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_PASSWORD',
  'REDIS_DB',
  'REDIS_ENABLE_TLS',
  'TRUST_PROXY',
  'REQUEST_TIMEOUT',
  'REQUEST_MAX_SIZE_MB',
  'ADMIN_SESSION_TIMEOUT',
  'STICKY_SESSION_TTL_HOURS',
  'STICKY_SESSION_RENEWAL_THRESHOLD_MINUTES',
  'TIMEZONE_OFFSET',
  'METRICS_WINDOW',
  'UPSTREAM_ERROR_5XX_TTL_SECONDS',
  'UPSTREAM_ERROR_OVERLOAD_TTL_SECONDS',
  'UPSTREAM_ERROR_AUTH_TTL_SECONDS',
  'UPSTREAM_ERROR_TIMEOUT_TTL_SECONDS',
  'UPSTREAM_ERROR_MAX_CUSTOM_TTL_SECONDS',
  'MAX_API_KEYS_PER_USER',
  'ALLOW_USER_DELETE_API_KEYS',
  'QUOTA_CARD_LIMITS_ENABLED',
  'QUOTA_CARD_MAX_EXPIRY_DAYS',
  'QUOTA_CARD_MAX_TOTAL_COST_LIMIT',
] as const;

type Doc = Record<string, unknown>;

function section(document: Doc, ...path: string[]): Doc {
  let current = document;
  for (const name of path) {
    const next = current[name];
    if (next !== null && typeof next === 'object' && !Array.isArray(next)) current = next as Doc;
    else {
      const created: Doc = {};
      current[name] = created;
      current = created;
    }
  }
  return current;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * The Redis URL the reference's `REDIS_HOST`, `REDIS_PORT` (default 6379), `REDIS_PASSWORD`,
 * `REDIS_DB` (default 0) and `REDIS_ENABLE_TLS` describe, or undefined without `REDIS_HOST`.
 */
export function referenceRedisUrl(get: (name: string) => string | undefined, problems: string[]): string | undefined {
  const host = get('REDIS_HOST');
  if (host === undefined) return undefined;
  const port = get('REDIS_PORT') ?? '6379';
  const db = get('REDIS_DB') ?? '0';
  if (!/^\d+$/.test(port) || Number(port) > 65535)
    problems.push(`REDIS_PORT: expected a port number, got ${JSON.stringify(port)}`);
  if (!/^\d+$/.test(db)) problems.push(`REDIS_DB: expected a database number, got ${JSON.stringify(db)}`);
  const password = get('REDIS_PASSWORD');
  const tls = TRUE.has((get('REDIS_ENABLE_TLS') ?? '').toLowerCase());
  const auth = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  // An IPv6 address goes in brackets.
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${tls ? 'rediss' : 'redis'}://${auth}${hostPart}:${port}/${db}`;
}

/**
 * Applies the reference's variables (see {@link REFERENCE_ENV_VARIABLES}) to `document`, in
 * place; empty variables are ignored. Returns problems as `VARIABLE: message`.
 */
export function applyReferenceEnv(document: Doc, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  /** A non-negative number (`integer`: whole) times `scale`, or a problem. */
  const number = (name: string, scale: number, apply: (value: number) => void, integer = false) => {
    const text = get(name);
    if (text === undefined) return;
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
      problems.push(`${name}: expected a ${integer ? 'whole ' : ''}number, got ${JSON.stringify(text)}`);
      return;
    }
    apply(scale === 1 ? value : Math.round(value * scale));
  };
  const flag = (name: string): boolean | undefined => {
    const text = get(name)?.toLowerCase();
    if (text === undefined) return undefined;
    if (TRUE.has(text)) return true;
    if (FALSE.has(text)) return false;
    problems.push(`${name}: expected true or false, got ${JSON.stringify(text)}`);
    return undefined;
  };

  const redisUrl = referenceRedisUrl(get, problems);
  if (redisUrl !== undefined) {
    const store = document.store as Doc | undefined;
    // Like REDIS_URL: the file's other redis settings (prefix, replyTimeoutMs) are kept.
    document.store = { ...(store && store.type === 'redis' ? store : {}), type: 'redis', url: redisUrl };
  }

  const trustProxy = flag('TRUST_PROXY');
  if (trustProxy !== undefined) section(document, 'server').trustProxy = trustProxy;
  number('REQUEST_TIMEOUT', 1, (ms) => (section(document, 'server', 'timeouts').firstByteMs = ms));
  number('REQUEST_MAX_SIZE_MB', 1, (mb) => (section(document, 'server').bodyLimitMb = mb));
  number('ADMIN_SESSION_TIMEOUT', 1, (ms) => (section(document, 'admin').sessionTtlMs = ms));
  number('STICKY_SESSION_TTL_HOURS', 3_600_000, (ms) => (section(document, 'scheduling').stickyTtlMs = ms));
  number(
    'STICKY_SESSION_RENEWAL_THRESHOLD_MINUTES',
    60_000,
    (ms) => (section(document, 'scheduling').stickyRenewalThresholdMs = ms),
  );
  number('METRICS_WINDOW', 1, (minutes) => (section(document, 'usage', 'metrics').realtimeWindowMinutes = minutes), true);

  const offset = get('TIMEZONE_OFFSET');
  if (offset !== undefined) {
    const hours = Number(offset);
    if (!Number.isInteger(hours) || hours < -12 || hours > 14) {
      problems.push(`TIMEZONE_OFFSET: expected whole hours from -12 to 14, got ${JSON.stringify(offset)} (set usage.timeZone)`);
    } else {
      // The IANA fixed-offset zones count the other way: UTC+8 is Etc/GMT-8.
      section(document, 'usage').timeZone = hours === 0 ? 'UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
    }
  }

  const cooldowns: [string, string][] = [
    ['UPSTREAM_ERROR_5XX_TTL_SECONDS', 'upstream_5xx'],
    ['UPSTREAM_ERROR_OVERLOAD_TTL_SECONDS', 'overloaded'],
    ['UPSTREAM_ERROR_AUTH_TTL_SECONDS', 'auth_failed'],
    ['UPSTREAM_ERROR_TIMEOUT_TTL_SECONDS', 'network'],
  ];
  for (const [name, kind] of cooldowns) {
    number(name, 1000, (ms) => (section(document, 'scheduling', 'cooldownMs')[kind] = ms));
  }
  number('UPSTREAM_ERROR_MAX_CUSTOM_TTL_SECONDS', 1000, (ms) => (section(document, 'scheduling').cooldownMaxMs = ms));

  number('MAX_API_KEYS_PER_USER', 1, (count) => (section(document, 'auth', 'users').maxKeysPerUser = count), true);
  const allowDelete = flag('ALLOW_USER_DELETE_API_KEYS');
  if (allowDelete !== undefined) section(document, 'auth', 'users').allowKeyDeletion = allowDelete;

  // The reference's card ceilings count only while QUOTA_CARD_LIMITS_ENABLED is not false.
  if (flag('QUOTA_CARD_LIMITS_ENABLED') !== false) {
    number('QUOTA_CARD_MAX_EXPIRY_DAYS', 1, (days) => (section(document, 'cards').maxExpiryDays = days), true);
    number('QUOTA_CARD_MAX_TOTAL_COST_LIMIT', 1, (usd) => (section(document, 'cards').maxTotalCostUsd = usd));
  }
  return problems;
}
