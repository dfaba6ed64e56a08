/**
 * The config file's schema. Every section is optional; defaults make `{}` a working
 * config (embedded store in ./data, port 3000, plugins "auto").
 */
import { z } from 'zod';

const duration = z.number().int().nonnegative();
const isoDate = z.iso.datetime({ offset: true });

export const serverSchema = z.strictObject({
  host: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(3000),
  /** Largest request body accepted, in megabytes; 413 beyond. */
  bodyLimitMb: z.number().positive().default(60),
  /** Trust X-Forwarded-* from a reverse proxy. */
  trustProxy: z.boolean().default(false),
  /** Upstream timeouts, in milliseconds. */
  timeouts: z
    .strictObject({
      connectMs: duration.default(15_000),
      /** Until upstream sends its response headers. */
      firstByteMs: duration.default(600_000),
      /** Between two chunks of a response body. */
      idleMs: duration.default(300_000),
    })
    .prefault({}),
  /** How long graceful shutdown waits for in-flight requests. */
  shutdownTimeoutMs: duration.default(30_000),
});

export const storeSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('embedded'), path: z.string().default('./data') }),
  z.strictObject({ type: z.literal('redis'), url: z.string().min(1), prefix: z.string().default('switchyard:') }),
]);

export const pluginEntrySchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** A package name (resolved from the installation root) ... */
    package: z.string().min(1).optional(),
    /** ... or a path to a local plugin folder (relative to the config file). */
    path: z.string().min(1).optional(),
    options: z.unknown().optional(),
    /** Replaces the plugin's default mount points. */
    mounts: z.array(z.string()).optional(),
  }),
]);

export const accountSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore; at most 64'),
  type: z.string().min(1),
  name: z.string().min(1),
  credentials: z.record(z.string(), z.unknown()).default({}),
  settings: z.record(z.string(), z.unknown()).default({}),
  priority: z.number().int().min(1).max(100).default(50),
  groups: z.array(z.string()).default([]),
  enabled: z.boolean().default(true),
  /** Egress proxy: http://, https:// or socks5:// with optional user:password@. */
  proxy: z.string().optional(),
  maxConcurrency: z.number().int().positive().optional(),
});

export const groupSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
  name: z.string().min(1),
  description: z.string().optional(),
});

export const keySchema = z.strictObject({
  name: z.string().min(1),
  /** The plaintext key (usually `${ENV_VAR}`); at least 20 characters. */
  key: z.string().min(20, 'a declared key needs at least 20 characters'),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  owner: z.string().optional(),
  enabled: z.boolean().default(true),
  expiresAt: isoDate.optional(),
  /** Limits are validated by the key-policy module; the shape is documented in docs/configuration.md. */
  limits: z.record(z.string(), z.unknown()).default({}),
});

export const adminSchema = z.strictObject({
  username: z.string().min(1).optional(),
  password: z.string().min(8).optional(),
});

export const securitySchema = z.strictObject({
  /** Secret of 32+ characters; the cipher and key-hash keys are derived from it. */
  encryptionKey: z.string().min(32, 'ENCRYPTION_KEY must be at least 32 characters').optional(),
  /** Prefix of generated client keys. */
  keyPrefix: z.string().regex(/^[A-Za-z0-9_-]{1,16}$/).default('sy_'),
});

export const schedulingSchema = z.strictObject({
  /** How long a session stays bound to an account. */
  stickyTtlMs: duration.default(3_600_000),
  /** Lease TTL of concurrency slots; leases are renewed every third of it while a request runs. */
  leaseTtlMs: duration.min(1000).default(60_000),
  /** Cooldown per upstream error kind, in milliseconds (upstream's retry-after wins when longer). */
  cooldownMs: z
    .strictObject({
      rate_limited: duration.default(60_000),
      overloaded: duration.default(30_000),
      auth_failed: duration.default(1_800_000),
      forbidden: duration.default(600_000),
      upstream_5xx: duration.default(30_000),
      network: duration.default(15_000),
      quota_exhausted: duration.default(3_600_000),
    })
    .prefault({}),
  /** Most accounts one request tries before giving up. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
});

export const loggingSchema = z.strictObject({
  level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
});

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  store: storeSchema.default({ type: 'embedded', path: './data' }),
  plugins: z.union([z.literal('auto'), z.array(pluginEntrySchema)]).default('auto'),
  /** Options for plugins loaded with "auto", by plugin id. */
  pluginOptions: z.record(z.string(), z.unknown()).default({}),
  accounts: z.array(accountSchema).default([]),
  groups: z.array(groupSchema).default([]),
  keys: z.array(keySchema).default([]),
  admin: adminSchema.prefault({}),
  security: securitySchema.prefault({}),
  scheduling: schedulingSchema.prefault({}),
  logging: loggingSchema.prefault({}),
});

/** A validated config, defaults applied. */
export type GatewayConfig = z.infer<typeof configSchema>;
/** A config as written in a file (before defaults). */
export type GatewayConfigInput = z.input<typeof configSchema>;
export type AccountDeclaration = z.infer<typeof accountSchema>;
export type KeyDeclaration = z.infer<typeof keySchema>;
export type PluginEntry = z.infer<typeof pluginEntrySchema>;
