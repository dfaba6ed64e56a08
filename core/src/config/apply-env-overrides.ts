/**
 * Environment variables that override the config file, applied after interpolation
 * and before validation (so their values are validated like the file's).
 */
import { isAbsolute, resolve } from 'node:path';

/** The variables {@link applyEnvOverrides} reads, for docs and `.env.example`. */
export const CONFIG_ENV_VARIABLES = [
  'PORT',
  'HOST',
  'REDIS_URL',
  'ENCRYPTION_KEY',
  'ADMIN_USERNAME',
  'ADMIN_PASSWORD',
  'LOG_LEVEL',
  'SWITCHYARD_DATA_DIR',
  'METRICS_TOKEN',
  'LDAP_BIND_PASSWORD',
] as const;

type Doc = Record<string, unknown>;

function section(document: Doc, name: string): Doc {
  const current = document[name];
  if (current !== null && typeof current === 'object' && !Array.isArray(current)) return current as Doc;
  const created: Doc = {};
  document[name] = created;
  return created;
}

/**
 * Applies `PORT`, `HOST` (server), `REDIS_URL` (redis store), `ENCRYPTION_KEY`
 * (security.encryptionKey), `ADMIN_USERNAME`, `ADMIN_PASSWORD` (admin), `LOG_LEVEL`
 * (logging.level), `LDAP_BIND_PASSWORD` (auth.ldap.bindPassword, when the file configures
 * auth.ldap), `SWITCHYARD_DATA_DIR` (embedded store path, relative to `cwd`;
 * ignored when the store is redis) and `METRICS_TOKEN` (usage.metrics.token) to
 * `document`, in place. Empty variables are ignored. Returns problems as `VARIABLE: message`.
 */
export function applyEnvOverrides(document: Doc, env: NodeJS.ProcessEnv, cwd: string): string[] {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const port = get('PORT');
  if (port !== undefined) {
    if (/^\d+$/.test(port)) section(document, 'server').port = Number(port);
    else problems.push(`PORT: expected a port number, got ${JSON.stringify(port)}`);
  }
  const host = get('HOST');
  if (host !== undefined) section(document, 'server').host = host;

  const redisUrl = get('REDIS_URL');
  const store = document.store as Doc | undefined;
  if (redisUrl !== undefined) {
    // The file's other redis settings (prefix, replyTimeoutMs) are kept.
    document.store = { ...(store && store.type === 'redis' ? store : {}), type: 'redis', url: redisUrl };
  } else {
    const dataDir = get('SWITCHYARD_DATA_DIR');
    if (
      dataDir !== undefined &&
      (store === undefined || (typeof store === 'object' && store !== null && store.type === 'embedded'))
    ) {
      const path = dataDir === ':memory:' || isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir);
      document.store = { type: 'embedded', path };
    }
  }

  const encryptionKey = get('ENCRYPTION_KEY');
  if (encryptionKey !== undefined) section(document, 'security').encryptionKey = encryptionKey;
  const adminUsername = get('ADMIN_USERNAME');
  if (adminUsername !== undefined) section(document, 'admin').username = adminUsername;
  const adminPassword = get('ADMIN_PASSWORD');
  if (adminPassword !== undefined) section(document, 'admin').password = adminPassword;
  const logLevel = get('LOG_LEVEL');
  if (logLevel !== undefined) section(document, 'logging').level = logLevel.toLowerCase();
  const ldapBindPassword = get('LDAP_BIND_PASSWORD');
  const auth = document.auth as Doc | undefined;
  // Only for a directory the file configures: the password alone configures nothing.
  if (ldapBindPassword !== undefined && typeof auth?.ldap === 'object' && auth.ldap !== null) {
    (auth.ldap as Doc).bindPassword = ldapBindPassword;
  }
  const metricsToken = get('METRICS_TOKEN');
  if (metricsToken !== undefined) section(section(document, 'usage'), 'metrics').token = metricsToken;
  return problems;
}
