/**
 * Which models an account admits: one pattern syntax for every account type (exact ids
 * and `*` globs), checked once when an account is validated and compiled once per
 * account version, so the scheduler's per-request test is a set lookup or a few
 * precompiled regex tests.
 *
 * An account admits a model when its catalog does: `settings.models` when it lists
 * patterns (narrowing the type's defaults, or widening them with `"*"`), otherwise its
 * type's `models.defaults`; the keys of `settings.modelMapping` and the models the
 * type's `models.fromSettings` names are admitted as well (mapped names count as served). A type that declares no catalog admits every model.
 * Model-id prefixes claimed by a type (`models.prefix`) apply on top (model-prefix-claims.ts).
 */
import type { ModelCatalog } from '@switchyard/plugin-api';
import { modelPatternSource } from '@switchyard/plugin-api';
import { withPrefixClaims } from './model-prefix-claims.js';

/** Exact model ids and `*` globs: letters, digits, `.`, `_`, `-`, `:`, `/`, `@`, `+`, `,`, and `*`. */
const MODEL_PATTERN = /^[A-Za-z0-9._:/@+,*-]{1,200}$/;

/** Why `pattern` is not a valid model pattern, or undefined when it is. */
export function modelPatternProblem(pattern: unknown): string | undefined {
  if (typeof pattern !== 'string') return 'expected a model id or a pattern with *';
  if (!MODEL_PATTERN.test(pattern)) {
    return `${JSON.stringify(pattern.slice(0, 80))} is not a model pattern (exact model ids and * globs only, e.g. "vendor-large-*" or "*")`;
  }
  if (pattern.includes('.*'))
    return `${JSON.stringify(pattern)} looks like a regular expression; write * for any run of characters`;
  return undefined;
}

/**
 * The problems of an account's `settings.models`, as `settings.models[i]: message` lines
 * (naming the account when its id is known).
 */
export function modelSettingsProblems(settings: Record<string, unknown>, accountId?: string): string[] {
  const problems: string[] = [];
  const account = accountId === undefined ? '' : `account ${JSON.stringify(accountId)}: `;
  const models = settings.models;
  if (Array.isArray(models)) {
    models.forEach((pattern, index) => {
      const problem = modelPatternProblem(pattern);
      if (problem) problems.push(`settings.models[${index}]: ${account}${problem}`);
    });
  }
  return problems;
}

/** A compiled model test. */
export type ModelTest = (model: string) => boolean;

/** Compiles `patterns` (assumed valid) into one test: a set for exact ids, one regex for the globs. */
export function compileModelPatterns(patterns: readonly string[]): ModelTest {
  if (patterns.includes('*')) return () => true;
  const exact = new Set<string>();
  const globs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('*')) globs.push(modelPatternSource(pattern));
    else exact.add(pattern);
  }
  const regex = globs.length > 0 ? new RegExp(`^(?:${globs.join('|')})$`) : undefined;
  if (!regex) return (model) => exact.has(model);
  return (model) => exact.has(model) || regex.test(model);
}

/** The patterns an account's catalog is made of (see the module comment); undefined for "every model". */
export function accountModelPatterns(
  catalog: ModelCatalog | undefined,
  settings: Readonly<Record<string, unknown>>,
): readonly string[] | undefined {
  const listed = Array.isArray(settings.models)
    ? settings.models.filter((model): model is string => typeof model === 'string')
    : [];
  const mapping = settings.modelMapping;
  const mapped = mapping !== null && typeof mapping === 'object' && !Array.isArray(mapping) ? Object.keys(mapping) : [];
  const base = listed.length > 0 ? listed : catalog?.defaults;
  if (base === undefined) return undefined;
  return [...base, ...mapped, ...settingsModels(catalog, settings)];
}

/** The valid patterns the type's `fromSettings` names for these settings (none when it throws). */
function settingsModels(catalog: ModelCatalog | undefined, settings: Readonly<Record<string, unknown>>): string[] {
  if (!catalog?.fromSettings) return [];
  let named: unknown;
  try {
    named = catalog.fromSettings(settings);
  } catch {
    return [];
  }
  if (!Array.isArray(named)) return [];
  return named.filter((model): model is string => modelPatternProblem(model) === undefined);
}

interface CompiledEntry {
  type: string;
  updatedAt: string;
  test: ModelTest;
  patterns: readonly string[] | undefined;
}

/** The account record fields a catalog depends on. */
export interface CatalogSubject {
  id: string;
  type: string;
  updatedAt: string;
  settings: Readonly<Record<string, unknown>>;
}

/**
 * The whole admission test of an account: its catalog's patterns (every model when
 * undefined) with the model-prefix claims of the loaded types applied.
 */
export function accountModelTest(
  catalog: ModelCatalog | undefined,
  patterns: readonly string[] | undefined,
  claimed: readonly string[],
): ModelTest {
  return withPrefixClaims(patterns ? compileModelPatterns(patterns) : () => true, catalog, claimed);
}

/**
 * Compiled catalogs per account, rebuilt when the account's record changes (every write
 * moves its `updatedAt`), so no pattern is compiled per request.
 */
export class AccountModelCatalogs {
  private readonly compiled = new Map<string, CompiledEntry>();

  /** @param claimed - The model-id prefixes the loaded account types claim. */
  constructor(private readonly claimed: readonly string[] = []) {}

  private entry(subject: CatalogSubject, catalog: ModelCatalog | undefined): CompiledEntry {
    const known = this.compiled.get(subject.id);
    if (known && known.updatedAt === subject.updatedAt && known.type === subject.type) return known;
    const patterns = accountModelPatterns(catalog, subject.settings);
    const entry: CompiledEntry = {
      type: subject.type,
      updatedAt: subject.updatedAt,
      patterns,
      test: accountModelTest(catalog, patterns, this.claimed),
    };
    this.compiled.set(subject.id, entry);
    return entry;
  }

  /** Whether the account admits `model`. */
  admits(subject: CatalogSubject, catalog: ModelCatalog | undefined, model: string): boolean {
    return this.entry(subject, catalog).test(model);
  }

  /** The account's catalog patterns (undefined: every model), for messages. */
  patterns(subject: CatalogSubject, catalog: ModelCatalog | undefined): readonly string[] | undefined {
    return this.entry(subject, catalog).patterns;
  }

  /** Forgets accounts that no longer exist. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.compiled.keys()) if (!ids.has(id)) this.compiled.delete(id);
  }
}
