/**
 * The config file's schema. Every section is optional; defaults make `{}` a working
 * config (embedded store in ./data, port 3000, plugins "auto").
 */
import { z } from 'zod';
import { keyLimitsSchema } from '../limits/key-limits-schema.js';
import { authSchema } from './auth-schema.js';
import { tracingSchema } from './tracing-schema.js';
import { notificationsSchema } from '../notifications/notification-config-schema.js';
import { cardsConfigSchema } from '../cards/cards-config.js';
import { modelAliasesSchema } from '../keys/model-aliases.js';

const duration = z.number().int().nonnegative();
const isoDate = z.iso.datetime({ offset: true });

/** `true`, `false` or a count written as a `${VAR}` placeholder arrives as text (the loader only coerces single-type fields). */
function booleanOrCountFromText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  return /^\d+$/.test(text) ? Number(text) : value;
}

export const serverSchema = z.strictObject({
  host: z.string().default('0.0.0.0'),
  port: z.number().int().min(0).max(65535).default(3000),
  /** Largest request body accepted, in megabytes; 413 beyond. A route may declare a lower limit of its own. */
  bodyLimitMb: z.number().positive().default(60),
  /**
   * Request bodies held in memory at once, across all requests, in megabytes: a body that
   * would go beyond it is answered 503 with Retry-After. Bodies stay counted until their
   * response is over.
   */
  maxBufferedBodyMb: z.number().positive().default(256),
  /** Longest a client may take to send a whole request (headers and body); 408 and the connection closed beyond. Responses are not bounded by it. */
  requestTimeoutMs: duration.min(100).default(60_000),
  /** Longest a client may take to send the request headers (at most `requestTimeoutMs`). */
  headersTimeoutMs: duration.min(100).default(20_000),
  /**
   * Reverse proxies in front of the gateway whose X-Forwarded-* headers are trusted: `false`
   * (none), `true` (one) or their number. The client address is the X-Forwarded-For entry
   * the outermost trusted proxy added (counted from the right), never the client-written left end.
   */
  trustProxy: z.preprocess(booleanOrCountFromText, z.union([z.boolean(), z.number().int().min(0).max(32)])).default(false),
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
  z.strictObject({
    type: z.literal('redis'),
    url: z.string().min(1),
    prefix: z.string().default('switchyard:'),
    /** Longest a Redis command may wait for its reply before the connection counts as hung (and is replaced). */
    replyTimeoutMs: z.number().int().min(100).max(60_000).default(3000),
  }),
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
  /** Requested model (id or `*` pattern) -> served model, for keys bound to the group (keys/model-aliases.ts). */
  modelAliases: modelAliasesSchema.optional(),
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
  /** Typed limits (core/src/limits/key-limits-schema.ts); documented in docs/limits.md. */
  limits: keyLimitsSchema.default({}),
});

export const adminSchema = z.strictObject({
  username: z.string().min(1).optional(),
  password: z.string().min(8).optional(),
  /** How long an admin session (a signed JWT) lasts; default 12 h. */
  sessionTtlMs: duration.min(60_000).optional(),
  /** The session signing secret is replaced after this long (default 24 h); older sessions stay valid until they expire. */
  sessionRotateMs: duration.min(60_000).optional(),
  /** Failed logins tolerated per username (default 5) and per client IP (default 20) within `loginWindowMs` (default 15 min) before 429. */
  loginMaxFailuresPerUser: z.number().int().min(1).optional(),
  loginMaxFailuresPerIp: z.number().int().min(1).optional(),
  loginWindowMs: duration.min(1000).optional(),
  /** Folder of the built web admin; default: the monorepo's admin/build. */
  staticDir: z.string().min(1).optional(),
  /** The URL admins open the web admin at (e.g. `https://gw.example.com`); its origin may send state-changing admin requests besides the request's own. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
});

export const securitySchema = z.strictObject({
  /** Secret of 32+ characters; the cipher and key-hash keys are derived from it. */
  encryptionKey: z.string().min(32, 'ENCRYPTION_KEY must be at least 32 characters').optional(),
  /** Prefix of generated client keys. */
  keyPrefix: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,16}$/)
    .default('sy_'),
});

/** What a failed scheduled check does to its account (see docs/operations.md, "Scheduled account checks"). */
export const checkFailureActionSchema = z.enum(['none', 'pause', 'cooldown']);

/** One account's check schedule; absent fields take the defaults (`checks` and the admin's settings). */
export const accountCheckPolicySchema = z.strictObject({
  /** Minutes between scheduled checks of this account; 0: never. */
  intervalMinutes: z.number().int().min(0).max(10_080).optional(),
  /** `none` (only recorded), `pause` (until a check succeeds or an admin resumes) or `cooldown`. */
  onFailure: checkFailureActionSchema.optional(),
  /** How long `cooldown` cools the account down. */
  cooldownMinutes: z.number().int().min(1).max(10_080).optional(),
});

/** Defaults of the scheduled account checks; each account may set its own. */
export const checksSchema = z.strictObject({
  /** Minutes between scheduled checks of an account that sets none; 0 (default): accounts are checked only when they ask. */
  intervalMinutes: z.number().int().min(0).max(10_080).default(0),
  onFailure: checkFailureActionSchema.default('none'),
  cooldownMinutes: z.number().int().min(1).max(10_080).default(30),
  /** How often the gateway looks for accounts due a check (one instance at a time runs them). */
  tickMs: duration.min(1000).default(60_000),
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
      overloaded: duration.default(600_000),
      auth_failed: duration.default(1_800_000),
      forbidden: duration.default(600_000),
      upstream_5xx: duration.default(300_000),
      network: duration.default(15_000),
      quota_exhausted: duration.default(3_600_000),
    })
    .prefault({}),
  /** Most accounts one request tries before giving up. */
  maxAttempts: z.number().int().min(1).max(20).default(3),
  /** Longest cooldown an upstream `retry-after` (or a plugin reaction) may set. */
  cooldownMaxMs: duration.default(1_800_000),
  /** A sticky binding is renewed on use only when less than this is left of its TTL (0: renewed on every use). */
  stickyRenewalThresholdMs: duration.default(900_000),
  /** `priority-lru` (default): lowest priority number, then least recently used. `weighted`: lowest priority number, then random by weight. */
  strategy: z.enum(['priority-lru', 'weighted']).default('priority-lru'),
  /** How often a request waiting in a key's queue looks for a free slot held by another instance. */
  queuePollMs: z.number().int().min(5).max(5000).default(50),
  /** Per-account scheduling overrides, by account id. */
  accounts: z
    .record(
      z.string(),
      z.strictObject({
        /** Only keys bound to this account (or a group it is in) may use it. */
        dedicated: z.boolean().optional(),
        /** Weight for the `weighted` strategy (default 1). */
        weight: z.number().positive().optional(),
        /** Cooldowns for this account, per upstream error kind. */
        cooldownMs: z
          .partialRecord(
            z.enum(['rate_limited', 'overloaded', 'auth_failed', 'forbidden', 'upstream_5xx', 'network', 'quota_exhausted']),
            duration,
          )
          .optional(),
        /** Serial pacing of requests that carry a new user turn, with a minimum gap between them. */
        pacing: z.strictObject({ minGapMs: duration, timeoutMs: duration.default(60_000) }).optional(),
        /** This account's scheduled checks (interval, what a failure does). */
        check: accountCheckPolicySchema.optional(),
      }),
    )
    .default({}),
});

/** Log files rotated daily (winston-daily-rotate-file); see docs/operations.md. */
export const logFileSchema = z.strictObject({
  /** Folder of the files, relative to the config file; created when missing. */
  dirname: z.string().min(1).default('logs'),
  /** File name; `%DATE%` becomes the date in `datePattern`. */
  filename: z
    .string()
    .min(1)
    .refine((name) => !/[/\\]/.test(name), 'a file name without folders (the folder is dirname)')
    .default('switchyard-%DATE%.log'),
  /** moment.js pattern of `%DATE%`: its smallest unit is the rotation period (`YYYY-MM-DD`: daily). */
  datePattern: z.string().min(1).default('YYYY-MM-DD'),
  /** Files kept: a count (`10`) or days (`"14d"`); older ones are deleted. */
  maxFiles: z
    .union([z.number().int().positive(), z.string().regex(/^\d+d?$/, 'a count or days, e.g. 10 or "14d"')])
    .default('14d'),
  /** Also rotate when a file reaches this size: bytes, or `"20m"`, `"500k"`, `"1g"`. */
  maxSize: z.union([z.number().int().positive(), z.string().regex(/^\d+[kmg]?$/i, 'bytes, or a size like "20m"')]).optional(),
  /** Gzip rotated files. */
  zippedArchive: z.boolean().default(false),
  /** Dates in UTC instead of local time. */
  utc: z.boolean().default(false),
});

export const loggingSchema = z
  .strictObject({
    level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    /** JSON lines on stdout; `false` only with `file`. */
    console: z.boolean().default(true),
    /** Also (or, with `console: false`, only) write the log lines to rotated files. */
    file: logFileSchema.optional(),
  })
  .refine((logging) => logging.console || logging.file !== undefined, {
    message: 'console: false needs logging.file, or the logs would go nowhere',
    path: ['console'],
  });

const usagePriceSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheWrite5m: z.number().nonnegative().optional(),
  cacheWrite1h: z.number().nonnegative().optional(),
  cacheRead: z.number().nonnegative().optional(),
});

/** Usage recording, pricing, request log and metrics (see docs/usage.md). */
export const usageSchema = z.strictObject({
  /** Record usage at all. Turn off only to measure what recording costs (bench). */
  record: z.boolean().default(true),
  /** Longest a usage record waits in memory before its batch is stored and sent to the sinks. */
  flushIntervalMs: duration.min(10).max(5_000).default(200),
  /**
   * Folder of the usage journal (records appended as requests finish, replayed after a
   * crash); relative to the config file. Absent: the embedded store's data folder (none
   * for Redis or `:memory:`); `false`: no journal. One gateway process per folder.
   */
  journalPath: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** IANA time zone of the hour/day/month aggregates, e.g. `Europe/Paris`. */
  timeZone: z
    .string()
    .min(1)
    .refine((zone) => {
      // UTC needs no check: Intl's zone data costs megabytes of memory (time-buckets.ts).
      if (zone === 'UTC') return true;
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as UTC or Europe/Paris')
    .default('UTC'),
  /** A JSON price table (model or pattern -> USD per million tokens) overriding the plugins'. */
  priceFile: z.string().min(1).optional(),
  /** Price of a model no table knows; such records are flagged `priced: false`. Absent: they cost 0. */
  fallbackPrice: usagePriceSchema.optional(),
  /** Service-wide multiplier of the rated cost (keys add their own `limits.costMultiplier`). */
  costMultiplier: z.number().nonnegative().default(1),
  /** Per-plugin service multipliers (plugin id -> factor), on top of `costMultiplier`. */
  pluginCostMultipliers: z.record(z.string(), z.number().nonnegative()).default({}),
  requestLog: z
    .strictObject({
      /** How long request log entries (usage records) are kept. */
      retentionHours: z.number().positive().default(168),
      /** Keep the request and response text (off by default), capped at `captureMaxBytes` each. */
      capturePrompts: z.boolean().default(false),
      captureMaxBytes: z.number().int().positive().max(1_048_576).default(4096),
      /**
       * Requests the gateway refused itself (401, 402, 403, 404, 429, 503) recorded per key and
       * minute, per instance; those without a recognised key share one allowance. 0: none.
       */
      refusalsPerMinute: z.number().int().min(0).max(100_000).default(60),
      /** How often the retention job runs. */
      sweepIntervalMs: duration.min(100).default(600_000),
    })
    .prefault({}),
  aggregates: z
    .strictObject({
      /** Retention of hourly, daily and monthly aggregates; lifetime totals are kept forever. */
      hourlyDays: z.number().int().positive().default(8),
      dailyDays: z.number().int().positive().default(400),
      monthlyDays: z.number().int().positive().default(3660),
      /** How long aggregate deltas are merged in memory before one store write. */
      flushIntervalMs: duration.min(10).max(60_000).default(1000),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      /** Bearer token required by `GET /metrics`; open when absent. */
      token: z.string().min(1).optional(),
      /** Window of the real-time requests/tokens per minute, in minutes. */
      realtimeWindowMinutes: z.number().int().min(1).max(60).default(5),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  store: storeSchema.default({ type: 'embedded', path: './data' }),
  /**
   * `"auto"` (every dependency of the installation root marked `"switchyard": { "plugin": true }`),
   * or a list of package names, paths (relative to the config file) and entry objects, in
   * which `"auto"` adds the discovered plugins the list does not name itself:
   * `["auto", "../my-plugin"]`.
   */
  plugins: z.union([z.literal('auto'), z.array(pluginEntrySchema)]).default('auto'),
  /** Options for plugins loaded with "auto", by plugin id. */
  pluginOptions: z.record(z.string(), z.unknown()).default({}),
  accounts: z.array(accountSchema).default([]),
  groups: z.array(groupSchema).default([]),
  keys: z.array(keySchema).default([]),
  admin: adminSchema.prefault({}),
  /** Users besides admins: the user portal's defaults and LDAP / Active Directory sign-in (auth-schema.ts). */
  auth: authSchema.prefault({}),
  security: securitySchema.prefault({}),
  scheduling: schedulingSchema.prefault({}),
  checks: checksSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  usage: usageSchema.prefault({}),
  /** Events sent to webhooks, chat robots and e-mail (see docs/notifications.md). */
  notifications: notificationsSchema.prefault({}),
  /** Quota cards: redemption throttling and ceilings (docs/cards.md). */
  cards: cardsConfigSchema.prefault({}),
  /** OpenTelemetry traces over OTLP/HTTP (tracing-schema.ts); absent: off. */
  tracing: tracingSchema.optional(),
});

/** A validated config, defaults applied. */
export type GatewayConfig = z.infer<typeof configSchema>;
/** A config as written in a file (before defaults). */
export type GatewayConfigInput = z.input<typeof configSchema>;
export type AccountDeclaration = z.infer<typeof accountSchema>;
export type KeyDeclaration = z.infer<typeof keySchema>;
export type PluginEntry = z.infer<typeof pluginEntrySchema>;
export type AccountCheckPolicy = z.infer<typeof accountCheckPolicySchema>;
export type CheckFailureAction = z.infer<typeof checkFailureActionSchema>;
