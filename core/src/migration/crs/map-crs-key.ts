/**
 * One reference client key (`apikey:{id}` hash, every value a string) as a Switchyard
 * key: its labels, owner, expiry and limits, with a note for everything that does not
 * carry over exactly. The secret stays the reference's hash (see keys/legacy-key-hashes.ts).
 */
import type { CrsRecord } from './read-crs-source.js';
import { crsTargetId } from './crs-ids.js';

/** Where key binding fields point, from the loaded account types' declarations. */
export interface CrsKeyBindingField {
  field: string;
  prefix?: string;
}

/** What key mapping needs to know. */
export interface CrsKeyContext {
  bindings: readonly CrsKeyBindingField[];
  /** Target ids of the accounts and groups the import brings. */
  importedAccounts: ReadonlySet<string>;
  importedGroups: ReadonlySet<string>;
  /** Models the reference's weekly model-family cap counts (declared by account types). */
  weeklyCapModels: readonly string[];
  /** The reference's `TIMEZONE_OFFSET`, in minutes. */
  utcOffsetMinutes: number;
}

/** A key ready to be stored. */
export interface MappedCrsKey {
  sourceId: string;
  id: string;
  name: string;
  description?: string;
  tags: string[];
  owner?: string;
  enabled: boolean;
  expiresAt?: string;
  limits: Record<string, unknown>;
  /** The reference's stored hash (hex of sha256(key + ENCRYPTION_KEY)). */
  sourceHash: string;
  /** When the reference last saw the key used (not compared between runs: it moves with every request). */
  lastUsedAt?: string;
  notes: string[];
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const isTrue = (value: unknown): boolean => value === 'true' || value === true;

function positive(value: unknown): number | undefined {
  const n = Number.parseFloat(text(value));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function jsonList(value: unknown): string[] {
  const raw = text(value).trim();
  if (raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.filter((item): item is string => typeof item === 'string' && item !== '');
    return typeof parsed === 'string' && parsed !== '' ? [parsed] : [];
  } catch {
    return [raw];
  }
}

function activationPeriod(fields: CrsRecord['fields']): string {
  const amount = Math.max(1, Math.floor(positive(fields.activationDays) ?? 30));
  return `${amount}${text(fields.activationUnit) === 'hours' ? 'h' : 'd'}`;
}

function binding(fields: CrsRecord['fields'], context: CrsKeyContext, notes: string[]): Record<string, unknown> | undefined {
  const found: { account?: string; group?: string; label: string }[] = [];
  for (const { field, prefix } of context.bindings) {
    const value = text(fields[field]);
    if (value === '') continue;
    if (value.startsWith('group:')) {
      const group = crsTargetId(value.slice('group:'.length));
      if (context.importedGroups.has(group)) found.push({ group, label: `${field}=${value}` });
      else notes.push(`binding ${field} names a group that is not imported`);
      continue;
    }
    if (prefix ? !value.startsWith(prefix) : value.includes(':')) continue;
    const account = crsTargetId(prefix ? value.slice(prefix.length) : value);
    if (context.importedAccounts.has(account)) found.push({ account, label: `${field}=${value}` });
    else notes.push(`binding ${field} names an account that is not imported`);
  }
  const declared = new Set(context.bindings.map((entry) => entry.field));
  for (const [field, value] of Object.entries(fields)) {
    if (field.endsWith('AccountId') && text(value) !== '' && !declared.has(field)) {
      notes.push(`binding ${field} not imported: no loaded account type declares it`);
    }
  }
  const unique = [...new Map(found.map((entry) => [entry.account ?? `group:${entry.group}`, entry])).values()];
  if (unique.length === 0) return undefined;
  if (unique.length > 1) notes.push(`bound to ${unique.length} accounts/groups; kept ${unique[0]!.label} (a key binds to one)`);
  const chosen = unique[0]!;
  return chosen.account ? { account: chosen.account } : { group: chosen.group };
}

function costCaps(fields: CrsRecord['fields'], context: CrsKeyContext, notes: string[]): Record<string, unknown> | undefined {
  const caps: Record<string, unknown> = {};
  const daily = positive(fields.dailyCostLimit);
  const total = positive(fields.totalCostLimit);
  const weekly = positive(fields.weeklyOpusCostLimit);
  if (daily !== undefined) caps.daily = daily;
  if (total !== undefined) caps.total = total;
  if (weekly !== undefined) {
    if (context.weeklyCapModels.length > 0) {
      caps.weeklyByModel = [{ name: 'model-family', models: [...context.weeklyCapModels], usd: weekly }];
      const day = Math.round(positive(fields.weeklyResetDay) ?? 1);
      const hour = Math.round(Number.parseFloat(text(fields.weeklyResetHour)) || 0);
      if (day >= 1 && day <= 7 && hour >= 0 && hour <= 23) caps.weeklyReset = { day, hour };
    } else notes.push('weekly model-family cap dropped: no loaded account type declares its models');
  }
  if (Object.keys(caps).length === 0) return undefined;
  // Day and week boundaries stay where the reference had them, so today's spend carries over.
  if (context.utcOffsetMinutes !== 0) caps.resetUtcOffsetMinutes = context.utcOffsetMinutes;
  return caps;
}

function limitsOf(fields: CrsRecord['fields'], context: CrsKeyContext, notes: string[]): Record<string, unknown> {
  const limits: Record<string, unknown> = {};
  const concurrency = positive(fields.concurrencyLimit);
  if (concurrency !== undefined) limits.concurrency = Math.floor(concurrency);
  const windowMinutes = positive(fields.rateLimitWindow);
  if (windowMinutes !== undefined) {
    const window: Record<string, unknown> = { period: `${Math.floor(windowMinutes)}m` };
    const requests = positive(fields.rateLimitRequests);
    const cost = positive(fields.rateLimitCost);
    const tokens = positive(fields.tokenLimit);
    if (requests !== undefined) window.requests = Math.floor(requests);
    if (cost !== undefined) window.costUsd = cost;
    if (tokens !== undefined) window.tokens = Math.floor(tokens);
    if (Object.keys(window).length > 1) limits.windows = [window];
  }
  const caps = costCaps(fields, context, notes);
  if (caps) limits.costUsd = caps;
  const denied = jsonList(fields.restrictedModels);
  if (isTrue(fields.enableModelRestriction) && denied.length > 0) limits.models = { deny: denied };
  const clients = jsonList(fields.allowedClients).map((client) => client.replace(/_/g, '-'));
  if (isTrue(fields.enableClientRestriction) && clients.length > 0) limits.clients = clients;
  const permissions = jsonList(fields.permissions).filter((p) => p !== 'all');
  if (permissions.length > 0) limits.permissions = permissions;
  if (text(fields.expirationMode) === 'activation' && !isTrue(fields.isActivated)) {
    limits.expiresAfterFirstUse = activationPeriod(fields);
  }
  const bound = binding(fields, context, notes);
  if (bound) limits.binding = bound;
  const rates = text(fields.serviceRates).trim();
  if (rates !== '' && rates !== '{}') notes.push('per-service cost rates not imported (use costMultiplier)');
  return limits;
}

/** Maps one key; `{ skip }` for a key the reference deleted. */
export function mapCrsKey(record: CrsRecord, context: CrsKeyContext): MappedCrsKey | { skip: string } {
  const { fields } = record;
  if (isTrue(fields.isDeleted)) return { skip: 'deleted in the reference' };
  const notes: string[] = [];
  const mapped: MappedCrsKey = {
    sourceId: record.id,
    id: crsTargetId(record.id),
    name: text(fields.name).trim() || record.id,
    tags: jsonList(fields.tags),
    enabled: isTrue(fields.isActive),
    limits: limitsOf(fields, context, notes),
    sourceHash: text(fields.apiKey),
    notes,
  };
  const description = text(fields.description).trim();
  if (description !== '') mapped.description = description;
  const owner = text(fields.userUsername).trim();
  if (owner !== '') mapped.owner = owner;
  const lastUsed = Date.parse(text(fields.lastUsedAt));
  if (!Number.isNaN(lastUsed)) mapped.lastUsedAt = new Date(lastUsed).toISOString();
  const expires = Date.parse(text(fields.expiresAt));
  if (!Number.isNaN(expires) && mapped.limits.expiresAfterFirstUse === undefined)
    mapped.expiresAt = new Date(expires).toISOString();
  return mapped;
}
