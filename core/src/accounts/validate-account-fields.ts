/**
 * Validation of an account's fields against the generic rules and its account type's
 * credential and settings schemas. Every problem is collected; none repeats a value.
 */
import type { PluginRegistry } from '../plugins/registry-types.js';
import { describeSchemaIssues } from './describe-schema-issues.js';
import { checkProxyUrl } from './proxy-url.js';
import { modelSettingsProblems } from './model-catalog.js';

/** Account ids: letters, digits, dot, dash and underscore; at most 64. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The fields {@link validateAccountFields} checks; absent ones are skipped. */
export interface AccountFields {
  id?: unknown;
  type: string;
  name?: unknown;
  credentials?: unknown;
  settings?: unknown;
  priority?: unknown;
  groups?: unknown;
  enabled?: unknown;
  proxy?: unknown;
  maxConcurrency?: unknown;
}

/** The outcome: problems, and the parsed (defaults applied) credentials and settings when checked. */
export interface AccountValidation {
  problems: string[];
  credentials?: Record<string, unknown>;
  settings?: Record<string, unknown>;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Validates the given fields; credentials and settings are parsed with the type's schemas. */
export function validateAccountFields(registry: Pick<PluginRegistry, 'accountType'>, fields: AccountFields): AccountValidation {
  const problems: string[] = [];
  const out: AccountValidation = { problems };
  if (fields.id !== undefined && (typeof fields.id !== 'string' || !ACCOUNT_ID_PATTERN.test(fields.id))) {
    problems.push('id: letters, digits, dot, dash and underscore; at most 64');
  }
  if (fields.name !== undefined && (typeof fields.name !== 'string' || fields.name.trim() === '' || fields.name.length > 200)) {
    problems.push('name: required, at most 200 characters');
  }
  if (
    fields.priority !== undefined &&
    !(Number.isInteger(fields.priority) && (fields.priority as number) >= 1 && (fields.priority as number) <= 100)
  ) {
    problems.push('priority: expected a whole number from 1 to 100');
  }
  if (
    fields.groups !== undefined &&
    !(Array.isArray(fields.groups) && fields.groups.every((group) => typeof group === 'string' && group !== ''))
  ) {
    problems.push('groups: expected a list of group ids');
  }
  if (fields.enabled !== undefined && typeof fields.enabled !== 'boolean') problems.push('enabled: expected true or false');
  if (
    fields.maxConcurrency !== undefined &&
    !(Number.isInteger(fields.maxConcurrency) && (fields.maxConcurrency as number) > 0)
  ) {
    problems.push('maxConcurrency: expected a positive whole number');
  }
  if (fields.proxy !== undefined) {
    const problem = checkProxyUrl(fields.proxy);
    if (problem) problems.push(problem);
  }
  const type = typeof fields.type === 'string' ? registry.accountType(fields.type) : undefined;
  if (!type) {
    problems.push(`type: unknown account type${typeof fields.type === 'string' ? ` "${fields.type}"` : ''}`);
    return out;
  }
  if (fields.credentials !== undefined) {
    if (!isObject(fields.credentials)) problems.push('credentials: expected an object');
    else {
      const parsed = type.credentialSchema.safeParse(fields.credentials);
      if (parsed.success) out.credentials = parsed.data as Record<string, unknown>;
      else problems.push(...describeSchemaIssues('credentials', type.credentialSchema, fields.credentials, parsed.error.issues));
    }
  }
  if (fields.settings !== undefined) {
    if (!isObject(fields.settings)) problems.push('settings: expected an object');
    else {
      const parsed = type.settingsSchema.safeParse(fields.settings);
      if (parsed.success) out.settings = parsed.data as Record<string, unknown>;
      else problems.push(...describeSchemaIssues('settings', type.settingsSchema, fields.settings, parsed.error.issues));
      // One model pattern syntax for every account type, checked here for the config and the admin alike.
      problems.push(...modelSettingsProblems(fields.settings, typeof fields.id === 'string' ? fields.id : undefined));
    }
  }
  return out;
}
