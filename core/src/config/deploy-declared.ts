/**
 * Applies the groups, accounts and keys declared in the config file to the store at
 * startup. Idempotent: a second run with the same config changes nothing. Records the
 * config no longer declares are disabled (accounts, keys) or deleted (groups), never
 * silently kept active; keys and accounts stay so usage history keeps its references.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { AccountService } from '../accounts/account-service.js';
import type { UpdateAccountInput } from '../accounts/account-types.js';
import type { KeyService, UpdateKeyInput } from '../keys/key-service.js';
import type { AccountRecord, KeyRecord, Store } from '../store/types.js';
import type { GatewayConfig } from './schema.js';
import { canonicalJson } from '../security/canonical-json.js';
import { ConfigError } from './config-error.js';

/** What happened to one kind of record. */
export interface DeployCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Config-owned records no longer declared, now disabled (accounts, keys). */
  disabled: number;
  /** Config-owned records no longer declared, now deleted (groups). */
  deleted: number;
}

/** What {@link deployDeclared} did, per kind. */
export interface DeployReport {
  groups: DeployCounts;
  accounts: DeployCounts;
  keys: DeployCounts;
}

/** Options of {@link deployDeclared}. */
export interface DeployDeclaredOptions {
  config: Pick<GatewayConfig, 'groups' | 'accounts' | 'keys'>;
  keys: KeyService;
  accounts: AccountService;
  store: Pick<Store, 'groups' | 'accounts' | 'keys' | 'settings'>;
  log: Logger;
}

/**
 * Where the fingerprints of the credentials last applied from the config are kept: a
 * declared account's credentials are rewritten only when the declaration changed, so
 * credentials refreshed at run time (rotated OAuth tokens) survive a restart.
 */
export const DECLARED_CREDENTIALS_SETTING = 'deploy.declaredCredentials';

const counts = (): DeployCounts => ({ created: 0, updated: 0, unchanged: 0, disabled: 0, deleted: 0 });
const same = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);

/**
 * Reconciles the store with the config's `groups`, `accounts` and `keys`. Every
 * declaration is validated first; with any problem a `ConfigError` listing all of
 * them is thrown before anything is written. Changes are logged one by one; the caller
 * logs the returned report.
 */
export async function deployDeclared(options: DeployDeclaredOptions): Promise<DeployReport> {
  validateDeclarations(options);
  return {
    groups: await deployGroups(options),
    accounts: await deployAccounts(options),
    keys: await deployKeys(options),
  };
}

function validateDeclarations({ config, accounts }: DeployDeclaredOptions): void {
  const problems: string[] = [];
  const seen = (values: string[], index: number): boolean => values.indexOf(values[index]!) !== index;
  const groupIds = config.groups.map((group) => group.id);
  groupIds.forEach((id, i) => seen(groupIds, i) && problems.push(`groups[${i}].id: "${id}" is declared twice`));
  const accountIds = config.accounts.map((account) => account.id);
  config.accounts.forEach((account, i) => {
    if (seen(accountIds, i)) problems.push(`accounts[${i}].id: "${account.id}" is declared twice`);
    for (const problem of accounts.check({ ...account, source: 'config' }).problems) problems.push(`accounts[${i}].${problem}`);
  });
  const keyNames = config.keys.map((key) => key.name);
  const secrets = config.keys.map((key) => key.key);
  config.keys.forEach((key, i) => {
    if (seen(keyNames, i)) problems.push(`keys[${i}].name: "${key.name}" is declared twice`);
    if (seen(secrets, i)) problems.push(`keys[${i}].key: the same key is declared twice`);
  });
  if (problems.length > 0) throw new ConfigError(problems);
}

async function deployGroups({ config, store, log }: DeployDeclaredOptions): Promise<DeployCounts> {
  const result = counts();
  const stored = new Map((await store.groups.list()).map((group) => [group.id, group]));
  const at = new Date().toISOString();
  for (const declared of config.groups) {
    const existing = stored.get(declared.id);
    if (
      existing &&
      existing.name === declared.name &&
      existing.description === declared.description &&
      JSON.stringify(existing.modelAliases) === JSON.stringify(declared.modelAliases) &&
      existing.source === 'config'
    ) {
      result.unchanged++;
      continue;
    }
    if (existing && existing.source !== 'config')
      log.warn('the config takes over a group created elsewhere', { groupId: declared.id });
    await store.groups.put({
      id: declared.id,
      name: declared.name,
      ...(declared.description === undefined ? {} : { description: declared.description }),
      ...(declared.modelAliases === undefined ? {} : { modelAliases: declared.modelAliases }),
      source: 'config',
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
    });
    if (existing) result.updated++;
    else result.created++;
  }
  const declaredIds = new Set(config.groups.map((group) => group.id));
  for (const group of stored.values()) {
    if (group.source !== 'config' || declaredIds.has(group.id)) continue;
    await store.groups.delete(group.id);
    result.deleted++;
    log.warn('deleted a group no longer declared in the config', { groupId: group.id });
  }
  return result;
}

async function deployAccounts({ config, accounts, store, log }: DeployDeclaredOptions): Promise<DeployCounts> {
  const result = counts();
  const before = (await store.settings.get<Record<string, string>>(DECLARED_CREDENTIALS_SETTING)) ?? {};
  const fingerprints: Record<string, string> = { ...before };
  const declaredIds = new Set<string>();
  for (const declared of config.accounts) {
    declaredIds.add(declared.id);
    const input = { ...declared, source: 'config' as const };
    const fingerprint = accounts.credentialFingerprint(declared.credentials);
    const existing = await store.accounts.get(declared.id);
    if (!existing) {
      await accounts.create(input);
      fingerprints[declared.id] = fingerprint;
      result.created++;
      continue;
    }
    if (existing.source !== 'config') {
      log.warn('the config takes over an account created elsewhere', { accountId: declared.id, previousSource: existing.source });
    }
    const checked = accounts.check(input);
    const patch = accountPatch(existing, declared, checked.settings ?? {});
    const credentialsSettled =
      existing.source === 'config' && before[declared.id] === fingerprint && existing.type === declared.type;
    if (!credentialsSettled) {
      const current = accounts.resolveRecord(existing).credentials;
      const wanted = checked.credentials ?? {};
      if (!same(current, wanted)) {
        const removed = Object.keys(current).filter((name) => !(name in wanted));
        patch.credentials = { ...wanted, ...Object.fromEntries(removed.map((name) => [name, null])) };
      }
    }
    const proxy = accounts.resolveRecord(existing).proxyUrl;
    if (proxy !== declared.proxy) patch.proxy = declared.proxy ?? null;
    fingerprints[declared.id] = fingerprint;
    if (Object.keys(patch).length === 0) {
      result.unchanged++;
      continue;
    }
    await accounts.update(declared.id, patch);
    result.updated++;
  }
  for (const record of await store.accounts.list()) {
    if (record.source !== 'config' || declaredIds.has(record.id)) continue;
    delete fingerprints[record.id];
    if (!record.enabled) continue;
    await accounts.update(record.id, { enabled: false });
    result.disabled++;
    log.warn('disabled an account no longer declared in the config', { accountId: record.id });
  }
  if (!same(before, fingerprints)) await store.settings.set(DECLARED_CREDENTIALS_SETTING, fingerprints);
  return result;
}

function accountPatch(
  existing: AccountRecord,
  declared: GatewayConfig['accounts'][number],
  settings: Record<string, unknown>,
): UpdateAccountInput {
  const patch: UpdateAccountInput = {};
  if (existing.source !== 'config') patch.source = 'config';
  if (existing.type !== declared.type) patch.type = declared.type;
  if (existing.name !== declared.name) patch.name = declared.name;
  if (existing.enabled !== declared.enabled) patch.enabled = declared.enabled;
  if (existing.priority !== declared.priority) patch.priority = declared.priority;
  if (!same(existing.groups, declared.groups)) patch.groups = declared.groups;
  if (!same(existing.settings, settings)) patch.settings = declared.settings;
  if (existing.maxConcurrency !== declared.maxConcurrency) patch.maxConcurrency = declared.maxConcurrency ?? null;
  return patch;
}

async function deployKeys({ config, keys, log }: DeployDeclaredOptions): Promise<DeployCounts> {
  const result = counts();
  const stored = await keys.list();
  const byName = new Map<string, KeyRecord>();
  for (const record of stored) if (record.source === 'config' && !byName.has(record.name)) byName.set(record.name, record);
  const plan = config.keys.map((declared, index) => {
    const hash = keys.hash(declared.key);
    const holder = stored.find((record) => record.hash === hash);
    const existing = byName.get(declared.name) ?? holder;
    const conflict = holder !== undefined && existing !== undefined && holder.id !== existing.id;
    return { declared, index, hash, existing, conflict: conflict ? holder : undefined };
  });
  const problems = plan.flatMap(({ index, conflict }) =>
    conflict ? [`keys[${index}].key: this key is already used by key ${conflict.id}`] : [],
  );
  if (problems.length > 0) throw new ConfigError(problems);
  const claimed = new Set<string>();
  for (const { declared, hash, existing } of plan) {
    if (!existing) {
      const { record } = await keys.create({ ...keyFields(declared), source: 'config', plaintext: declared.key });
      claimed.add(record.id);
      result.created++;
      continue;
    }
    claimed.add(existing.id);
    if (existing.source !== 'config') log.warn('the config takes over a key created elsewhere', { keyId: existing.id });
    const patch = keyPatch(existing, declared, hash);
    if (Object.keys(patch).length === 0) {
      result.unchanged++;
      continue;
    }
    await keys.update(existing.id, patch);
    result.updated++;
  }
  for (const record of stored) {
    if (record.source !== 'config' || claimed.has(record.id) || !record.enabled) continue;
    await keys.setEnabled(record.id, false);
    result.disabled++;
    log.warn('disabled a key no longer declared in the config', { keyId: record.id, name: record.name });
  }
  return result;
}

type KeyDeclaration = GatewayConfig['keys'][number];

function keyFields(declared: KeyDeclaration) {
  return {
    name: declared.name,
    tags: declared.tags,
    enabled: declared.enabled,
    limits: declared.limits,
    ...(declared.description === undefined ? {} : { description: declared.description }),
    ...(declared.owner === undefined ? {} : { owner: declared.owner }),
    ...(declared.expiresAt === undefined ? {} : { expiresAt: declared.expiresAt }),
  };
}

function keyPatch(existing: KeyRecord, declared: KeyDeclaration, hash: string): UpdateKeyInput {
  const patch: UpdateKeyInput = {};
  if (existing.source !== 'config') patch.source = 'config';
  if (existing.name !== declared.name) patch.name = declared.name;
  if (existing.hash !== hash) patch.plaintext = declared.key;
  if (existing.enabled !== declared.enabled) patch.enabled = declared.enabled;
  if (existing.description !== declared.description) patch.description = declared.description ?? null;
  if (existing.owner !== declared.owner) patch.owner = declared.owner ?? null;
  if (existing.expiresAt !== declared.expiresAt) patch.expiresAt = declared.expiresAt ?? null;
  if (!same(existing.tags, declared.tags)) patch.tags = declared.tags;
  if (!same(existing.limits, declared.limits)) patch.limits = declared.limits;
  return patch;
}
