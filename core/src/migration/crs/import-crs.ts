/**
 * `switchyard import crs`: reads a running reference installation's Redis and brings its
 * groups, accounts, client keys and per-key usage into Switchyard's store, idempotently
 * (stable ids from the reference's ids, and a ledger of what earlier runs brought). A
 * dry run computes the same report and writes nothing.
 */
import { Redis } from 'ioredis';
import type { AccountTypeDefinition } from '@switchyard/plugin-api';
import type { AccountService } from '../../accounts/account-service.js';
import type { GatewaySecrets } from '../../security/secrets.js';
import type { GroupRecord, KeyRecord, Store } from '../../store/types.js';
import { checkKeyLimits, type KeyLimits } from '../../limits/key-limits-schema.js';
import { dayPeriod, weekPeriod } from '../../limits/spend-periods.js';
import { LEGACY_HASH_MARK, saveLegacyKeyScheme } from '../../keys/legacy-key-hashes.js';
import { createCrsDecrypt } from './crs-cipher.js';
import { crsTargetId } from './crs-ids.js';
import { CRS_LEDGER_SETTING, fingerprint, readCrsLedger, type CrsLedger } from './crs-ledger.js';
import type { CrsImportReport, CrsImportRow } from './crs-import-report.js';
import { crsDate, crsWeekIds } from './crs-periods.js';
import { crsImporters, groupsByAccount, mapCrsAccounts } from './map-crs-accounts.js';
import { mapCrsKey, type MappedCrsKey } from './map-crs-key.js';
import { readCrsSource, type CrsSnapshot } from './read-crs-source.js';
import { applyUsageGrowth, carriedUsage, isNoGrowth, usageGrowth } from './carry-crs-usage.js';

/** The parts of the reference an import may bring. */
export const CRS_SECTIONS = ['keys', 'accounts', 'groups', 'usage'] as const;
export type CrsSection = (typeof CRS_SECTIONS)[number];

/** What {@link importCrs} needs. */
export interface ImportCrsOptions {
  /** The reference's Redis, e.g. `redis://127.0.0.1:6379/0`. */
  redisUrl: string;
  /** The reference's `ENCRYPTION_KEY`. */
  encryptionKey: string;
  /** Prefixes of the reference's keys (its `API_KEY_PREFIX`); default `['cr_']`. */
  keyPrefixes?: readonly string[];
  /** The reference's `TIMEZONE_OFFSET` in hours; default 8 (its default). */
  utcOffsetHours?: number;
  /** Sections to import; default all. */
  only?: readonly CrsSection[];
  dryRun?: boolean;
  store: Store;
  /** The loaded account types (the registry's `accountTypes()`). */
  accountTypes: readonly { definition: AccountTypeDefinition }[];
  /** Validates and stores accounts (encrypting credentials with Switchyard's key). */
  accounts: Pick<AccountService, 'check' | 'create' | 'update'>;
  secrets: Pick<GatewaySecrets, 'cipherKey' | 'keyHashKey'>;
  now?: () => number;
}

interface Run {
  options: ImportCrsOptions;
  sections: ReadonlySet<CrsSection>;
  dryRun: boolean;
  now: number;
  offsetMinutes: number;
  ledger: CrsLedger;
  rows: CrsImportRow[];
}

/** Runs the import (or the dry run) and returns its report. */
export async function importCrs(options: ImportCrsOptions): Promise<CrsImportReport> {
  const now = (options.now ?? Date.now)();
  const offsetMinutes = Math.round((options.utcOffsetHours ?? 8) * 60);
  const sections = new Set<CrsSection>(options.only?.length ? options.only : CRS_SECTIONS);
  const importers = crsImporters(options.accountTypes);
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let snapshot: CrsSnapshot;
  try {
    await redis.connect();
    // ioredis only emits an error for a database the server lacks and stays on 0: ask for it.
    const db = Number(new URL(options.redisUrl).pathname.slice(1) || '0');
    if (Number.isInteger(db) && db > 0) await redis.select(db);
    snapshot = await readCrsSource(redis, {
      kinds: importers.map(({ declaration }) => ({ keyPrefix: declaration.keyPrefix, layout: declaration.layout ?? 'hash' })),
      today: crsDate(now, offsetMinutes),
      weekIds: (key) => crsWeekIds(key, now, offsetMinutes),
      withUsage: sections.has('usage'),
    });
  } finally {
    redis.disconnect();
  }
  const run: Run = {
    options,
    sections,
    dryRun: options.dryRun ?? false,
    now,
    offsetMinutes,
    ledger: await readCrsLedger(options.store.settings),
    rows: [],
  };
  const groups = await importGroups(run, snapshot);
  const accounts = await importAccounts(run, snapshot, importers, groups);
  const keys = await importKeys(run, snapshot, importers, accounts, groups);
  await importUsage(run, snapshot, keys);
  if (!run.dryRun) await options.store.settings.set(CRS_LEDGER_SETTING, run.ledger);
  return { dryRun: run.dryRun, rows: run.rows };
}

/** What to do with a record that may exist: create, skip (deleted here), unchanged or change. */
function decide(exists: boolean, before: string | undefined, digest: string): 'create' | 'change' | 'unchanged' | 'deleted' {
  if (!exists) return before === undefined ? 'create' : 'deleted';
  return before === digest ? 'unchanged' : 'change';
}

const DELETED_HERE = 'deleted in Switchyard after an earlier import; not recreated';

async function importGroups(run: Run, snapshot: CrsSnapshot): Promise<Set<string>> {
  const present = new Set((await run.options.store.groups.list()).map((group) => group.id));
  const imported = new Set<string>();
  for (const group of snapshot.groups) {
    const id = crsTargetId(group.id);
    const name = (typeof group.fields.name === 'string' && group.fields.name.trim()) || group.id;
    const description =
      typeof group.fields.description === 'string' && group.fields.description !== '' ? group.fields.description : undefined;
    if (!run.sections.has('groups')) {
      if (present.has(id)) imported.add(id);
      continue;
    }
    const digest = fingerprint(run.options.secrets.keyHashKey, { name, description });
    const action = decide(present.has(id), run.ledger.groups[group.id], digest);
    if (action === 'deleted') {
      run.rows.push({ section: 'group', source: group.id, target: id, name, action: 'skip', reason: DELETED_HERE });
      continue;
    }
    imported.add(id);
    run.rows.push({ section: 'group', source: group.id, target: id, name, action });
    if (run.dryRun || action === 'unchanged') continue;
    const at = new Date(run.now).toISOString();
    const existing = await run.options.store.groups.get(id);
    const record: GroupRecord = { ...existing, id, name, source: 'cli', createdAt: existing?.createdAt ?? at, updatedAt: at };
    if (description !== undefined) record.description = description;
    else delete record.description;
    await run.options.store.groups.put(record);
    run.ledger.groups[group.id] = digest;
  }
  return imported;
}

async function importAccounts(
  run: Run,
  snapshot: CrsSnapshot,
  importers: ReturnType<typeof crsImporters>,
  groups: ReadonlySet<string>,
): Promise<Set<string>> {
  const { options } = run;
  const present = new Set((await options.store.accounts.list()).map((account) => account.id));
  const imported = new Set<string>();
  const outcomes = mapCrsAccounts(
    snapshot.accounts,
    importers,
    createCrsDecrypt(options.encryptionKey),
    groupsByAccount(snapshot.groups, groups),
  );
  for (const outcome of outcomes) {
    if (!run.sections.has('accounts')) {
      if ('input' in outcome && present.has(outcome.input.id!)) imported.add(outcome.input.id!);
      continue;
    }
    if ('skip' in outcome) {
      run.rows.push({ section: 'account', source: outcome.sourceId, name: outcome.name, action: 'skip', reason: outcome.skip });
      continue;
    }
    const { input, notes } = outcome;
    const id = input.id!;
    const row: CrsImportRow = {
      section: 'account',
      source: outcome.sourceId,
      target: id,
      name: `${input.name} (${input.type})`,
      action: 'skip',
    };
    run.rows.push(row);
    const checked = options.accounts.check(input);
    if (checked.problems.length > 0) {
      row.reason = `not valid for ${input.type}: ${checked.problems.join('; ')}`;
      continue;
    }
    const digest = fingerprint(options.secrets.keyHashKey, input);
    const action = decide(present.has(id), run.ledger.accounts[outcome.sourceId], digest);
    if (action === 'deleted') {
      row.reason = DELETED_HERE;
      continue;
    }
    imported.add(id);
    row.action = action;
    if (notes.length > 0) row.reason = notes.join('; ');
    if (run.dryRun || action === 'unchanged') continue;
    if (action === 'create') await options.accounts.create(input);
    else {
      const { id: _id, source: _source, ...patch } = input;
      await options.accounts.update(id, { ...patch, proxy: input.proxy ?? null, maxConcurrency: input.maxConcurrency ?? null });
    }
    run.ledger.accounts[outcome.sourceId] = digest;
  }
  if (run.sections.has('accounts')) {
    for (const { prefix, count } of snapshot.unclaimed) {
      run.rows.push({
        section: 'account',
        source: `${prefix}*`,
        name: `${count} record(s)`,
        action: 'skip',
        reason: 'no installed plugin imports this kind of account',
      });
    }
  }
  return imported;
}

function keyRecordOf(run: Run, mapped: MappedCrsKey, createdAt: string | undefined): KeyRecord {
  const at = new Date(run.now).toISOString();
  const record: KeyRecord = {
    id: mapped.id,
    name: mapped.name,
    tags: mapped.tags,
    hash: LEGACY_HASH_MARK + mapped.sourceHash,
    hint: `${run.options.keyPrefixes?.[0] ?? 'cr_'}… (imported)`,
    enabled: mapped.enabled,
    limits: mapped.limits,
    source: 'cli',
    createdAt: createdAt ?? at,
    updatedAt: at,
  };
  if (mapped.description !== undefined) record.description = mapped.description;
  if (mapped.owner !== undefined) record.owner = mapped.owner;
  if (mapped.expiresAt !== undefined) record.expiresAt = mapped.expiresAt;
  if (mapped.lastUsedAt !== undefined) record.lastUsedAt = mapped.lastUsedAt;
  return record;
}

async function importKeys(
  run: Run,
  snapshot: CrsSnapshot,
  importers: ReturnType<typeof crsImporters>,
  accounts: ReadonlySet<string>,
  groups: ReadonlySet<string>,
): Promise<Map<string, { id: string; limits: KeyLimits }>> {
  const { store, secrets } = run.options;
  const out = new Map<string, { id: string; limits: KeyLimits }>();
  const context = {
    bindings: importers.flatMap(({ declaration }) => declaration.keyBindings ?? []),
    importedAccounts: accounts,
    importedGroups: groups,
    weeklyCapModels: [...new Set(importers.flatMap(({ declaration }) => declaration.weeklyCapModels ?? []))],
    utcOffsetMinutes: run.offsetMinutes,
  };
  let anyKey = false;
  for (const source of snapshot.keys) {
    const existing = await store.keys.get(crsTargetId(source.id));
    const mapped = mapCrsKey(source, context);
    const name = 'skip' in mapped ? String(source.fields.name ?? source.id) : mapped.name;
    if ('skip' in mapped || !run.sections.has('keys')) {
      if (!('skip' in mapped) && existing) out.set(source.id, { id: existing.id, limits: existing.limits as KeyLimits });
      if ('skip' in mapped && run.sections.has('keys'))
        run.rows.push({ section: 'key', source: source.id, name, action: 'skip', reason: mapped.skip });
      continue;
    }
    const row: CrsImportRow = { section: 'key', source: source.id, target: mapped.id, name, action: 'skip' };
    run.rows.push(row);
    const problems = checkKeyLimits(mapped.limits);
    if (problems.length > 0 || !/^[0-9a-f]{64}$/i.test(mapped.sourceHash)) {
      row.reason = problems.length > 0 ? problems.join('; ') : 'its stored hash is not a SHA-256 hex digest';
      continue;
    }
    const { sourceHash, notes, lastUsedAt: _lastUsed, ...described } = mapped;
    const digest = fingerprint(secrets.keyHashKey, described);
    const before = run.ledger.keys[source.id];
    const action = decide(existing !== undefined, before?.digest, digest);
    const rehash = existing !== undefined && before !== undefined && before.hash !== sourceHash;
    if (action === 'deleted') {
      row.reason = DELETED_HERE;
      continue;
    }
    row.action = action === 'unchanged' && rehash ? 'change' : action;
    const reasons = [...notes, ...(rehash ? ['the key was regenerated in the reference'] : [])];
    if (reasons.length > 0) row.reason = reasons.join('; ');
    out.set(source.id, { id: mapped.id, limits: mapped.limits as KeyLimits });
    anyKey = true;
    if (run.dryRun || row.action === 'unchanged') continue;
    const record = keyRecordOf(run, mapped, parseDate(source.fields.createdAt));
    if (!existing) await store.keys.create(record);
    else {
      const { id: _id, createdAt: _created, lastUsedAt: _used, hash, hint, ...patch } = record;
      const update: Partial<Omit<KeyRecord, 'id'>> = { ...patch };
      for (const field of ['description', 'owner', 'expiresAt'] as const)
        if (record[field] === undefined) update[field] = undefined;
      if (rehash) Object.assign(update, { hash, hint });
      await store.keys.update(mapped.id, update);
    }
    run.ledger.keys[source.id] = { digest, hash: sourceHash };
  }
  if (anyKey && !run.dryRun && run.sections.has('keys')) {
    await saveLegacyKeyScheme(store.settings, secrets.cipherKey, {
      prefixes: [...(run.options.keyPrefixes ?? ['cr_'])],
      pepper: run.options.encryptionKey,
    });
  }
  return out;
}

async function importUsage(
  run: Run,
  snapshot: CrsSnapshot,
  keys: ReadonlyMap<string, { id: string; limits: KeyLimits }>,
): Promise<void> {
  if (!run.sections.has('usage')) return;
  for (const [sourceId, usage] of snapshot.usage) {
    const key = keys.get(sourceId);
    if (!key) continue;
    const caps = key.limits.costUsd;
    const offset = caps?.resetUtcOffsetMinutes ?? 0;
    const carried = carriedUsage(usage, dayPeriod(run.now, offset).id, weekPeriod(run.now, caps?.weeklyReset, offset).id);
    const growth = usageGrowth(carried, run.ledger.usage[sourceId]);
    const empty = isNoGrowth(growth);
    if (empty && run.ledger.usage[sourceId] === undefined && carried.requests === 0) continue;
    run.rows.push({
      section: 'usage',
      source: sourceId,
      target: key.id,
      name: `${carried.requests} requests, $${(carried.costMicros / 1e6).toFixed(2)}`,
      action: empty ? 'unchanged' : run.ledger.usage[sourceId] === undefined ? 'create' : 'change',
      ...(empty ? {} : { reason: `adds ${growth.requests} requests, $${(growth.costMicros / 1e6).toFixed(2)}` }),
    });
    if (run.dryRun || empty) continue;
    await applyUsageGrowth(run.options.store, key.id, key.limits, growth, run.now);
    run.ledger.usage[sourceId] = carried;
  }
}

function parseDate(value: unknown): string | undefined {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}
