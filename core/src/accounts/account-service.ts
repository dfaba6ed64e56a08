/**
 * Upstream accounts: validated against their account type's schemas, credentials and
 * proxy encrypted at rest, summaries without secrets for the admin, and decrypted views
 * for the relay (cached in process, so the hot path neither decrypts nor lists the
 * store on every request).
 */
import { createHmac } from 'node:crypto';
import type { AccountView, Logger } from '@switchyard/plugin-api';
import type { PluginRegistry } from '../plugins/registry-types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import type { AccountRecord, Store } from '../store/types.js';
import { canonicalJson } from '../security/canonical-json.js';
import { decryptJson, encryptJson } from '../security/cipher.js';
import { randomId } from '../keys/key-material.js';
import { AccountInputError } from './account-input-error.js';
import { redactProxyUrl } from './proxy-url.js';
import { validateAccountFields, type AccountValidation } from './validate-account-fields.js';
import type { AccountSummary, CreateAccountInput, ResolvedAccount, UpdateAccountInput } from './account-types.js';

/** Options of {@link AccountService}. */
export interface AccountServiceOptions {
  /** With `accountChecks`, deleting an account also forgets its check history. */
  store: Pick<Store, 'accounts'> & Partial<Pick<Store, 'accountChecks'>>;
  secrets: Pick<GatewaySecrets, 'cipherKey' | 'keyHashKey'>;
  registry: Pick<PluginRegistry, 'accountType'>;
  log: Logger;
  /** How long {@link AccountService.listRecords} serves a cached list; default 2 s. */
  listCacheTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

interface Decrypted {
  credentialsEnvelope: string;
  proxyEnvelope: string | undefined;
  credentials: Record<string, unknown>;
  proxyUrl: string | undefined;
}

/** Manages upstream accounts and hands out their decrypted credentials. */
export class AccountService {
  private readonly store: AccountServiceOptions['store'];
  private readonly secrets: Pick<GatewaySecrets, 'cipherKey' | 'keyHashKey'>;
  private readonly registry: Pick<PluginRegistry, 'accountType'>;
  private readonly log: Logger;
  private readonly listCacheTtlMs: number;
  private readonly now: () => number;
  private readonly decrypted = new Map<string, Decrypted>();
  private listCache: { until: number; records: Promise<AccountRecord[]> } | undefined;

  constructor(options: AccountServiceOptions) {
    this.store = options.store;
    this.secrets = options.secrets;
    this.registry = options.registry;
    this.log = options.log;
    this.listCacheTtlMs = options.listCacheTtlMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Validates a prospective account without writing anything: every problem, and the
   * credentials and settings as they would be stored (defaults applied).
   */
  check(input: CreateAccountInput): AccountValidation {
    return this.validateNew(input);
  }

  /**
   * Creates an account. Throws {@link AccountInputError} listing every problem (field
   * names only), `StoreConflictError` when the id exists.
   */
  async create(input: CreateAccountInput): Promise<AccountSummary> {
    const checked = this.validateNew(input);
    if (checked.problems.length > 0) throw new AccountInputError(checked.problems);
    const at = this.timestamp();
    const record: AccountRecord = {
      id: input.id ?? randomId('acc_'),
      type: input.type,
      name: input.name.trim(),
      enabled: input.enabled ?? true,
      priority: input.priority ?? 50,
      groups: [...(input.groups ?? [])],
      credentials: encryptJson(this.secrets.cipherKey, checked.credentials ?? {}),
      settings: checked.settings ?? {},
      source: input.source,
      createdAt: at,
      updatedAt: at,
    };
    if (input.proxy !== undefined) record.proxy = encryptJson(this.secrets.cipherKey, input.proxy);
    if (input.maxConcurrency !== undefined) record.maxConcurrency = input.maxConcurrency;
    this.invalidate(record.id);
    await this.store.accounts.create(record);
    this.log.info('account created', { accountId: record.id, type: record.type, source: record.source });
    return this.summarize(record);
  }

  /**
   * Changes an account; undefined when it does not exist. Credentials are merged into
   * the stored ones and re-validated; settings are replaced and re-validated.
   */
  async update(id: string, patch: UpdateAccountInput): Promise<AccountSummary | undefined> {
    const record = await this.store.accounts.get(id);
    if (!record) return undefined;
    const current = this.decrypt(record);
    const type = patch.type ?? record.type;
    const typeChanged = type !== record.type;
    const credentials = patch.credentials ? mergeCredentials(current.credentials, patch.credentials) : current.credentials;
    const checked = validateAccountFields(this.registry, {
      type,
      name: patch.name,
      credentials: patch.credentials || typeChanged ? credentials : undefined,
      settings: patch.settings ?? (typeChanged ? record.settings : undefined),
      priority: patch.priority,
      groups: patch.groups,
      enabled: patch.enabled,
      proxy: patch.proxy ?? undefined,
      maxConcurrency: patch.maxConcurrency ?? undefined,
    });
    if (checked.problems.length > 0) throw new AccountInputError(checked.problems);
    const changes: Partial<Omit<AccountRecord, 'id'>> = { updatedAt: this.timestamp(Date.parse(record.updatedAt)) };
    if (typeChanged) changes.type = type;
    if (patch.name !== undefined) changes.name = patch.name.trim();
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.groups !== undefined) changes.groups = [...patch.groups];
    if (patch.enabled !== undefined) changes.enabled = patch.enabled;
    if (patch.source !== undefined) changes.source = patch.source;
    if (checked.credentials) changes.credentials = encryptJson(this.secrets.cipherKey, checked.credentials);
    if (checked.settings) changes.settings = checked.settings;
    if (patch.proxy !== undefined)
      changes.proxy = patch.proxy === null ? undefined : encryptJson(this.secrets.cipherKey, patch.proxy);
    if (patch.maxConcurrency !== undefined) changes.maxConcurrency = patch.maxConcurrency ?? undefined;
    this.invalidate(id);
    const updated = await this.store.accounts.update(id, changes);
    this.invalidate(id);
    if (updated) this.log.info('account updated', { accountId: id, fields: Object.keys(patch) });
    return updated ? this.summarize(updated) : undefined;
  }

  /** Deletes an account (and its check history); true when it existed. */
  async delete(id: string): Promise<boolean> {
    this.invalidate(id);
    const deleted = await this.store.accounts.delete(id);
    this.invalidate(id);
    if (deleted) {
      await this.store.accountChecks?.delete(id);
      this.log.info('account deleted', { accountId: id });
    }
    return deleted;
  }

  /** Every account, without secrets. */
  async list(): Promise<AccountSummary[]> {
    return (await this.store.accounts.list()).map((record) => this.summarize(record));
  }

  /** One account, without secrets. */
  async get(id: string): Promise<AccountSummary | undefined> {
    const record = await this.store.accounts.get(id);
    return record ? this.summarize(record) : undefined;
  }

  /** The account with decrypted credentials, read fresh from the store. */
  async resolve(id: string): Promise<ResolvedAccount | undefined> {
    const record = await this.store.accounts.get(id);
    return record ? this.resolveRecord(record) : undefined;
  }

  /** Decrypts a record the caller already holds (e.g. from {@link listRecords}). */
  resolveRecord(record: AccountRecord): ResolvedAccount {
    const { credentials, proxyUrl } = this.decrypt(record);
    const resolved: ResolvedAccount = { record, view: toView(record), credentials };
    if (proxyUrl !== undefined) resolved.proxyUrl = proxyUrl;
    return resolved;
  }

  /**
   * Every account record, served from a short cache (the scheduler's hot path). Writes
   * through this service clear it; writes by other instances show within the TTL.
   * Treat the records as read-only.
   */
  listRecords(): Promise<AccountRecord[]> {
    const now = this.now();
    if (this.listCache && this.listCache.until > now) return this.listCache.records;
    const records = this.store.accounts.list();
    const entry = { until: now + this.listCacheTtlMs, records };
    this.listCache = entry;
    records.catch(() => {
      if (this.listCache === entry) this.listCache = undefined;
    });
    return records;
  }

  /** Merges refreshed credential fields, validates and stores them encrypted. */
  async saveRefreshedCredentials(id: string, partial: Record<string, unknown>): Promise<ResolvedAccount | undefined> {
    const record = await this.store.accounts.get(id);
    if (!record) return undefined;
    const merged = mergeCredentials(this.decrypt(record).credentials, partial);
    const checked = validateAccountFields(this.registry, { type: record.type, credentials: merged });
    if (checked.problems.length > 0) throw new AccountInputError(checked.problems);
    this.invalidate(id);
    const updated = await this.store.accounts.update(id, {
      credentials: encryptJson(this.secrets.cipherKey, checked.credentials ?? merged),
      updatedAt: this.timestamp(Date.parse(record.updatedAt)),
    });
    this.invalidate(id);
    return updated ? this.resolveRecord(updated) : undefined;
  }

  /** A keyed fingerprint of credentials (to notice a change without keeping them in plaintext). */
  credentialFingerprint(credentials: Record<string, unknown>): string {
    return createHmac('sha256', this.secrets.keyHashKey)
      .update(`account-credentials\0${canonicalJson(credentials)}`)
      .digest('hex');
  }

  /** A secret-free summary of a record. */
  summarize(record: AccountRecord): AccountSummary {
    const summary: AccountSummary = {
      id: record.id,
      type: record.type,
      name: record.name,
      enabled: record.enabled,
      priority: record.priority,
      groups: [...record.groups],
      settings: record.settings,
      hasProxy: record.proxy !== undefined,
      source: record.source,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      credentialFields: [],
      credentialsReadable: true,
    };
    if (record.maxConcurrency !== undefined) summary.maxConcurrency = record.maxConcurrency;
    try {
      const { credentials, proxyUrl } = this.decrypt(record);
      summary.credentialFields = Object.keys(credentials).filter((name) => credentials[name] != null && credentials[name] !== '');
      if (proxyUrl !== undefined) summary.proxy = redactProxyUrl(proxyUrl);
    } catch {
      summary.credentialsReadable = false;
    }
    return summary;
  }

  private validateNew(input: CreateAccountInput): AccountValidation {
    const checked = validateAccountFields(this.registry, { ...input, settings: input.settings ?? {} });
    if (input.name === undefined) checked.problems.unshift('name: required');
    if (input.credentials === undefined) checked.problems.push('credentials: required');
    return checked;
  }

  private decrypt(record: AccountRecord): Decrypted {
    const cached = this.decrypted.get(record.id);
    if (cached && cached.credentialsEnvelope === record.credentials && cached.proxyEnvelope === record.proxy) return cached;
    const credentials = deepFreeze(decryptJson<Record<string, unknown>>(this.secrets.cipherKey, record.credentials));
    const proxyUrl = record.proxy === undefined ? undefined : decryptJson<string>(this.secrets.cipherKey, record.proxy);
    const entry: Decrypted = { credentialsEnvelope: record.credentials, proxyEnvelope: record.proxy, credentials, proxyUrl };
    this.decrypted.set(record.id, entry);
    return entry;
  }

  private invalidate(id: string): void {
    this.decrypted.delete(id);
    this.listCache = undefined;
  }

  /** Now as ISO 8601, strictly after `after` (so every write changes `updatedAt`). */
  private timestamp(after = Number.NEGATIVE_INFINITY): string {
    return new Date(Math.max(this.now(), after + 1)).toISOString();
  }
}

function mergeCredentials(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

function toView(record: AccountRecord): AccountView {
  return Object.freeze({
    id: record.id,
    type: record.type,
    name: record.name,
    priority: record.priority,
    groups: Object.freeze([...record.groups]),
    settings: Object.freeze({ ...record.settings }),
  });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const field of Object.values(value)) deepFreeze(field);
  }
  return value;
}
