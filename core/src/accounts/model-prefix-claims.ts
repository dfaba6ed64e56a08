/**
 * Model-id prefixes claimed by account types (`ModelCatalog.prefix`): a type that claims
 * one admits only models starting with it, and every other type admits none of them,
 * whatever its patterns say. The rule wraps an account's compiled catalog test, so the
 * scheduler, model lists and the "model not found" answer all follow it.
 */
import type { ModelCatalog } from '@switchyard/plugin-api';

/** A compiled model test (as `compileModelPatterns` returns). */
type ModelTest = (model: string) => boolean;

/** A claimable prefix: the characters of a model id (no `*`), at most 100. */
const PREFIX_PATTERN = /^[A-Za-z0-9._:/@+,-]{1,100}$/;

/** The account types a claim check reads. */
export interface PrefixClaimant {
  readonly definition: { readonly id?: string; readonly models?: ModelCatalog | undefined };
}

/** Why `prefix` cannot be claimed, or undefined when it can. */
export function modelPrefixProblem(prefix: unknown): string | undefined {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    return `models.prefix ${JSON.stringify(prefix)} must be 1 to 100 characters of a model id (letters, digits, . _ : / @ + , -; no *)`;
  }
  return undefined;
}

/** The prefixes the loaded account types claim. */
export function claimedModelPrefixes(types: Iterable<PrefixClaimant>): string[] {
  const claimed: string[] = [];
  for (const type of types) {
    const prefix = type.definition.models?.prefix;
    if (typeof prefix === 'string' && prefix !== '') claimed.push(prefix);
  }
  return claimed;
}

/**
 * The problems of a set of claims: a prefix claimed twice, or one that starts with
 * another (a model would belong to both).
 */
export function prefixClaimProblems(types: Iterable<PrefixClaimant>): string[] {
  const claims: { prefix: string; type: string }[] = [];
  const problems: string[] = [];
  for (const type of types) {
    const prefix = type.definition.models?.prefix;
    if (typeof prefix !== 'string') continue;
    const name = String(type.definition.id);
    for (const other of claims) {
      if (prefix.startsWith(other.prefix) || other.prefix.startsWith(prefix)) {
        problems.push(
          `account types "${other.type}" and "${name}" claim overlapping model prefixes ${JSON.stringify(other.prefix)} and ${JSON.stringify(prefix)}`,
        );
      }
    }
    claims.push({ prefix, type: name });
  }
  return problems;
}

/**
 * `test` with the prefix rule applied: for a type claiming a prefix, only models that
 * start with it; for any other type, no model starting with a claimed prefix.
 */
export function withPrefixClaims(test: ModelTest, catalog: ModelCatalog | undefined, claimed: readonly string[]): ModelTest {
  const own = catalog?.prefix;
  if (own) return (model) => model.startsWith(own) && test(model);
  if (claimed.length === 0) return test;
  return (model) => !claimed.some((prefix) => model.startsWith(prefix)) && test(model);
}
