/**
 * Import steps for the records themselves: keys (hashes as exported), their lifetime
 * meters, accounts (credentials opened with the passphrase and sealed with the importing
 * gateway's cipher key), check history, groups, users and settings. The file wins for
 * every record it holds; records only the target has are left alone.
 */
import type { AccountCheckEntry, AccountRecord, GroupRecord, KeyRecord, Store, UserRecord } from '../store/types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import { decryptJson, encryptJson } from '../security/cipher.js';
import { canonicalJson } from '../security/canonical-json.js';
import { spendMeter } from '../limits/spend-periods.js';
import type { PassphraseKeys } from './passphrase-keys.js';
import type { KeyMeters, StateData } from './state-file.js';
import { sameJson, type ImportStep } from './import-plan.js';
import { isTransientSetting } from './transient-settings.js';
import { hasSealedFields, mapSealedFields } from './sealed-settings.js';

/** What the planners read. */
export interface PlanContext {
  store: Store;
  secrets: GatewaySecrets;
  keys: PassphraseKeys;
  data: StateData;
}

/** A patch turning `existing` into `wanted`: wanted's fields, and `undefined` for fields only `existing` has. */
export function replacingPatch<T extends object>(existing: T, wanted: T, idField: keyof T): Partial<T> {
  const patch: Record<string, unknown> = { ...(wanted as Record<string, unknown>) };
  for (const field of Object.keys(existing)) if (!(field in wanted)) patch[field] = undefined;
  delete patch[idField as string];
  return patch as Partial<T>;
}

export async function planKeys({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  for (const raw of data.keys) {
    const wanted = raw as unknown as KeyRecord;
    const existing = await store.keys.get(wanted.id);
    const label = `${wanted.id} (${wanted.name})`;
    if (!existing) {
      const clash = await store.keys.findByHash(wanted.hash);
      if (clash) {
        steps.push({ kind: 'key', id: label, outcome: 'skip', reason: `key ${clash.id} has the same secret` });
        continue;
      }
      steps.push({ kind: 'key', id: label, outcome: 'create', apply: () => store.keys.create(wanted) });
    } else if (sameJson(existing, wanted)) {
      steps.push({ kind: 'key', id: label, outcome: 'unchanged' });
    } else {
      const patch = replacingPatch(existing, wanted, 'id');
      steps.push({
        kind: 'key',
        id: label,
        outcome: 'change',
        apply: async () => void (await store.keys.update(wanted.id, patch)),
      });
    }
  }
  return steps;
}

/** Lifetime spend, maxima and the first-use mark of each key, made equal to the file's. */
export async function planKeyMeters({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  for (const [keyId, wanted] of Object.entries(data.keyMeters)) {
    const current = await readMeters(store, keyId);
    if (sameJson(current, { ...wanted, firstUse: wanted.firstUse || undefined })) {
      steps.push({ kind: 'key meters', id: keyId, outcome: 'unchanged', bulk: true });
      continue;
    }
    if (current.firstUse !== undefined && wanted.firstUse !== 0 && current.firstUse !== wanted.firstUse) {
      steps.push({ kind: 'key meters', id: keyId, outcome: 'skip', reason: 'the key was first used at another time here' });
      continue;
    }
    const apply = async () => {
      const delta = wanted.costTotal - current.costTotal;
      if (delta !== 0) await store.meters.addTotal(spendMeter.total(keyId), delta);
      await store.meters.raiseMax(spendMeter.maxCost(keyId), wanted.maxCost);
      await store.meters.raiseMax(spendMeter.maxTokens(keyId), wanted.maxTokens);
      if (wanted.firstUse > 0) await store.meters.markOnce(spendMeter.firstUse(keyId), wanted.firstUse);
    };
    const empty = current.costTotal === 0 && current.maxCost === 0 && current.maxTokens === 0 && current.firstUse === undefined;
    steps.push({ kind: 'key meters', id: keyId, outcome: empty ? 'create' : 'change', apply, bulk: true });
  }
  return steps;
}

async function readMeters(store: Store, keyId: string): Promise<Omit<KeyMeters, 'firstUse'> & { firstUse?: number }> {
  const [costTotal] = await store.meters.getTotals([spendMeter.total(keyId)]);
  const firstUse = await store.meters.getMark(spendMeter.firstUse(keyId));
  return {
    costTotal: costTotal ?? 0,
    maxCost: await store.meters.getMax(spendMeter.maxCost(keyId)),
    maxTokens: await store.meters.getMax(spendMeter.maxTokens(keyId)),
    ...(firstUse === undefined ? {} : { firstUse }),
  };
}

export async function planAccounts({ store, secrets, keys, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  const openHere = (envelope: string | undefined): unknown => {
    if (envelope === undefined) return undefined;
    try {
      return decryptJson(secrets.cipherKey, envelope);
    } catch {
      return { unreadable: true }; // sealed under another key: differs from anything in the file
    }
  };
  for (const raw of data.accounts) {
    const sealed = raw as unknown as AccountRecord;
    const credentials = keys.open(sealed.credentials);
    const proxy = sealed.proxy === undefined ? undefined : keys.open(sealed.proxy);
    const label = `${sealed.id} (${sealed.name})`;
    const existing = await store.accounts.get(sealed.id);
    const plainOf = (record: AccountRecord, creds: unknown, proxyUrl: unknown) => ({
      ...record,
      credentials: creds,
      proxy: proxyUrl,
    });
    if (
      existing &&
      sameJson(plainOf(existing, openHere(existing.credentials), openHere(existing.proxy)), plainOf(sealed, credentials, proxy))
    ) {
      steps.push({ kind: 'account', id: label, outcome: 'unchanged' });
      continue;
    }
    // Sealed with this gateway's key only when written, so no envelope outlives a skipped step.
    const record = (): AccountRecord => {
      const { proxy: _sealedProxy, ...rest } = sealed;
      return {
        ...rest,
        credentials: encryptJson(secrets.cipherKey, credentials),
        ...(proxy === undefined ? {} : { proxy: encryptJson(secrets.cipherKey, proxy) }),
      };
    };
    if (!existing) {
      steps.push({ kind: 'account', id: label, outcome: 'create', apply: () => store.accounts.create(record()) });
    } else {
      steps.push({
        kind: 'account',
        id: label,
        outcome: 'change',
        apply: async () => void (await store.accounts.update(sealed.id, replacingPatch(existing, record(), 'id'))),
      });
    }
  }
  return steps;
}

/** Last use of each account (it never moves backwards, so a re-run changes nothing). */
export async function planAccountLastUsed({ store, data }: PlanContext): Promise<ImportStep[]> {
  const ids = Object.keys(data.accountLastUsed);
  if (ids.length > 0 && store.kind === 'embedded') {
    // Its live account state lives in the gateway's memory: a write from here would not outlast this command.
    const reason = 'the embedded store keeps live account state in memory only';
    return [{ kind: 'account last use', id: 'all', outcome: 'skip', reason, bulk: true, count: ids.length }];
  }
  const states = await store.accountState.getMany(ids);
  return ids.map((id): ImportStep => {
    const wanted = data.accountLastUsed[id]!;
    const here = states.get(id)?.lastUsedAt;
    if (here !== undefined && here >= wanted) return { kind: 'account last use', id, outcome: 'unchanged', bulk: true };
    return {
      kind: 'account last use',
      id,
      outcome: here === undefined ? 'create' : 'change',
      bulk: true,
      apply: () => store.accountState.markUsed(id, wanted),
    };
  });
}

/** Check history: the file's entries the target lacks are appended, oldest first. */
export async function planAccountChecks({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  for (const [accountId, entries] of Object.entries(data.accountChecks)) {
    const present = new Set((await store.accountChecks.list(accountId)).map((entry) => canonicalJson(entry)));
    const missing = (entries as unknown as AccountCheckEntry[]).filter((entry) => !present.has(canonicalJson(entry))).reverse();
    if (missing.length === 0) {
      steps.push({ kind: 'account checks', id: accountId, outcome: 'unchanged', bulk: true, count: entries.length });
      continue;
    }
    steps.push({
      kind: 'account checks',
      id: accountId,
      outcome: present.size === 0 ? 'create' : 'change',
      bulk: true,
      count: missing.length,
      apply: async () => {
        for (const entry of missing) await store.accountChecks.append(accountId, entry);
      },
    });
  }
  return steps;
}

export async function planGroups({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  for (const raw of data.groups) {
    const wanted = raw as unknown as GroupRecord;
    const existing = await store.groups.get(wanted.id);
    const outcome = !existing ? 'create' : sameJson(existing, wanted) ? 'unchanged' : 'change';
    steps.push({
      kind: 'group',
      id: wanted.id,
      outcome,
      ...(outcome === 'unchanged' ? {} : { apply: () => store.groups.put(wanted) }),
    });
  }
  return steps;
}

export async function planUsers({ store, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  for (const raw of data.users) {
    const wanted = raw as unknown as UserRecord;
    const existing = await store.users.get(wanted.username);
    const outcome = !existing ? 'create' : sameJson(existing, wanted) ? 'unchanged' : 'change';
    steps.push({
      kind: 'user',
      id: wanted.username,
      outcome,
      ...(outcome === 'unchanged' ? {} : { apply: () => store.users.put(wanted) }),
    });
  }
  return steps;
}

/** Settings entries; sealed fields (sealed-settings.ts) are opened and sealed again for this gateway. */
export async function planSettings({ store, secrets, keys, data }: PlanContext): Promise<ImportStep[]> {
  const steps: ImportStep[] = [];
  const current = await store.settings.all();
  for (const [name, value] of Object.entries(data.settings)) {
    if (isTransientSetting(name)) continue;
    const wanted = mapSealedFields(name, value, (sealed) => keys.open(sealed as string));
    const here = mapSealedFields(name, current[name], (envelope) => openOr(secrets, envelope));
    if (name in current && sameJson(here, wanted)) {
      steps.push({ kind: 'setting', id: name, outcome: 'unchanged' });
      continue;
    }
    const write = () =>
      store.settings.set(
        name,
        hasSealedFields(name) ? mapSealedFields(name, wanted, (plain) => encryptJson(secrets.cipherKey, plain)) : wanted,
      );
    steps.push({ kind: 'setting', id: name, outcome: name in current ? 'change' : 'create', apply: write });
  }
  return steps;
}

function openOr(secrets: GatewaySecrets, envelope: unknown): unknown {
  try {
    return decryptJson(secrets.cipherKey, envelope as string);
  } catch {
    return { unreadable: true };
  }
}
