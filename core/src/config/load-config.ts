/**
 * Loads the gateway's config: `.env`, then the config file (JSON or YAML), `${VAR}`
 * interpolation, environment overrides, schema validation and semantic checks, with
 * every problem reported at once in one {@link ConfigError}.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { configSchema, type GatewayConfig } from './schema.js';
import { ConfigError, formatConfigPath } from './config-error.js';
import { loadDotEnv } from './load-dot-env.js';
import { parseConfigText } from './parse-config-text.js';
import { interpolateEnv } from './interpolate-env.js';
import { applyEnvOverrides } from './apply-env-overrides.js';
import { applyReferenceEnv } from './apply-reference-env.js';
import { checkConfigSemantics } from './check-config-semantics.js';
import { formatSchemaIssues } from './format-schema-issues.js';

/** Where to load the config from. */
export interface LoadConfigOptions {
  /** The config file; relative to `cwd`. Default: `$SWITCHYARD_CONFIG`, else no file (`{}`). */
  file?: string;
  /** The environment to read (and to load `.env` into). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Where `.env` is looked for and relative `file` resolves. Default: `process.cwd()`. */
  cwd?: string;
}

/** A validated config and where it came from. */
export interface LoadedConfig {
  /**
   * The config, defaults applied. A relative embedded store path is already resolved
   * against `dir` (`:memory:` is kept); plugin `path` entries are left as written
   * (`declarePlugins` resolves them against `dir`).
   */
  config: GatewayConfig;
  /** The absolute path of the config file, when there was one. */
  file?: string;
  /** The config file's folder (or `cwd` without a file): relative paths resolve against it. */
  dir: string;
}

type Doc = Record<string, unknown>;

function isObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

async function readConfigDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    throw new ConfigError([`${file}: cannot read config file: ${reason}`], file);
  }
  const parsed = await parseConfigText(text, file);
  if (!parsed.ok) throw new ConfigError(parsed.problems, file);
  return parsed.document;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): { parent: Doc | unknown[]; key: PropertyKey } | undefined {
  let current: unknown = document;
  for (let index = 0; index < path.length - 1; index += 1) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[path[index]!];
  }
  if (current === null || typeof current !== 'object' || path.length === 0) return undefined;
  return { parent: current as Doc, key: path[path.length - 1]! };
}

/**
 * Coerces values written as a single placeholder (`port: ${PORT}`) to the number or
 * boolean the schema expected there. Returns true when something changed.
 */
function coercePlaceholders(
  document: unknown,
  issues: readonly { code: string; path: PropertyKey[]; expected?: string }[],
  wholeValuePaths: ReadonlySet<string>,
): boolean {
  let changed = false;
  for (const issue of issues) {
    if (issue.code !== 'invalid_type' || !wholeValuePaths.has(formatConfigPath(issue.path))) continue;
    const slot = valueAt(document, issue.path);
    if (!slot) continue;
    const container = slot.parent as Record<PropertyKey, unknown>;
    const raw = container[slot.key];
    if (typeof raw !== 'string') continue;
    if (issue.expected === 'number' && /^-?\d+(\.\d+)?$/.test(raw.trim())) {
      container[slot.key] = Number(raw.trim());
      changed = true;
    } else if (issue.expected === 'boolean' && /^(true|false)$/i.test(raw.trim())) {
      container[slot.key] = raw.trim().toLowerCase() === 'true';
      changed = true;
    }
  }
  return changed;
}

/**
 * Loads and validates the config. Order: `<cwd>/.env` into `env` (never overriding
 * variables already set), the file (`options.file`, else `$SWITCHYARD_CONFIG`, else
 * none), `${VAR}` / `${VAR:-default}` interpolation in every string, environment
 * overrides (`PORT`, `HOST`, `REDIS_URL`, `ENCRYPTION_KEY`, `ADMIN_USERNAME`,
 * `ADMIN_PASSWORD`, `LOG_LEVEL`, `SWITCHYARD_DATA_DIR`; before them the reference relay's
 * names where they map, see apply-reference-env.ts), then the schema and semantic checks.
 *
 * @throws {ConfigError} listing every problem found, one `path: message` per line.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  await loadDotEnv(cwd, env);

  const fileOption = options.file ?? (env.SWITCHYARD_CONFIG?.trim() || undefined);
  const file = fileOption === undefined ? undefined : resolve(cwd, fileOption);
  const dir = file === undefined ? cwd : dirname(file);
  const raw = file === undefined ? {} : await readConfigDocument(file);
  if (!isObject(raw)) {
    throw new ConfigError([`(root): the config must be an object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`], file);
  }

  const interpolated = interpolateEnv(raw, env);
  const document = interpolated.value as Doc;
  // The reference relay's variables first, so Switchyard's own win where both set one thing.
  const problems = [
    ...interpolated.problems,
    ...applyReferenceEnv(document, env),
    ...applyEnvOverrides(document, env, cwd),
    ...checkConfigSemantics(document),
  ];
  const wholeValuePaths = new Set(interpolated.wholeValuePaths.map(formatConfigPath));

  let result = configSchema.safeParse(document);
  if (!result.success && coercePlaceholders(document, result.error.issues as never, wholeValuePaths)) {
    result = configSchema.safeParse(document);
  }
  if (!result.success) problems.push(...formatSchemaIssues(result.error.issues, interpolated.problemPaths));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems, file);

  const config = result.data;
  if (config.store.type === 'embedded' && config.store.path !== ':memory:' && !isAbsolute(config.store.path)) {
    config.store.path = resolve(dir, config.store.path);
  }
  return file === undefined ? { config, dir } : { config, file, dir };
}
