/**
 * Builds a state file from a store: every record the admin shows, secrets re-sealed
 * under the passphrase (opened with the gateway's cipher key, which never leaves it).
 */
import { createHmac } from 'node:crypto';
import type { Store } from '../store/types.js';
import type { GatewaySecrets } from '../security/secrets.js';
import { decryptJson } from '../security/cipher.js';
import { spendMeter } from '../limits/spend-periods.js';
import { aggregatePeriodLabels, type AggregatePeriodRetention } from './aggregate-periods.js';
import { PassphraseKeys, PASSPHRASE_KDF } from './passphrase-keys.js';
import { STATE_FILE_FORMAT, STATE_FILE_VERSION, type KeyMeters, type StateData, type StateFile } from './state-file.js';
import { isTransientSetting } from './transient-settings.js';
import { mapSealedFields } from './sealed-settings.js';

/** What {@link exportState} needs. */
export interface ExportStateOptions {
  store: Store;
  secrets: GatewaySecrets;
  passphrase: string;
  /** Include usage records and aggregates. */
  withUsage: boolean;
  /** Where aggregate periods are looked for (config `usage.timeZone`, `usage.aggregates`). */
  timeZone: string;
  retention: AggregatePeriodRetention;
  now(): number;
}

/** The fixed text whose HMAC with the key-hash secret tells two gateways' secrets apart. */
export const KEY_HASH_CHECK_TEXT = 'switchyard/state/key-hash-check';

/** The key-hash secret's check value (hex). */
export function keyHashCheckOf(secrets: GatewaySecrets): string {
  return createHmac('sha256', secrets.keyHashKey).update(KEY_HASH_CHECK_TEXT).digest('hex');
}

/** Reads the store and returns the sealed, authenticated state file. */
export async function exportState(options: ExportStateOptions): Promise<StateFile> {
  const { store, secrets } = options;
  const salt = PassphraseKeys.newSalt();
  const keys = await PassphraseKeys.derive(options.passphrase, { ...PASSPHRASE_KDF, salt });
  const reseal = (envelope: string) => keys.seal(decryptJson(secrets.cipherKey, envelope));

  const keyRecords = await store.keys.list();
  const keyMeters: Record<string, KeyMeters> = {};
  for (const key of keyRecords) keyMeters[key.id] = await metersOf(store, key.id);

  const accounts = [];
  const accountChecks: StateData['accountChecks'] = {};
  for (const account of await store.accounts.list()) {
    accounts.push({
      ...account,
      credentials: reseal(account.credentials),
      ...(account.proxy === undefined ? {} : { proxy: reseal(account.proxy) }),
    });
    const checks = await store.accountChecks.list(account.id);
    if (checks.length > 0) accountChecks[account.id] = checks as unknown as Record<string, unknown>[];
  }

  const accountLastUsed: Record<string, number> = {};
  for (const [id, state] of await store.accountState.getMany(accounts.map((account) => account.id))) {
    if (state.lastUsedAt !== undefined) accountLastUsed[id] = state.lastUsedAt;
  }

  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(await store.settings.all())) {
    if (isTransientSetting(name)) continue;
    settings[name] = mapSealedFields(name, value, (envelope) => reseal(envelope as string));
  }

  const batches = [];
  for (const batch of await store.cards.listBatches()) batches.push({ batch, cards: await store.cards.listCards(batch.id) });
  const redemptions = (await store.cards.listRedemptions({ limit: Number.MAX_SAFE_INTEGER })).reverse();

  const data: StateData = {
    keys: keyRecords as unknown as Record<string, unknown>[],
    keyMeters,
    accounts,
    accountLastUsed,
    accountChecks,
    groups: (await store.groups.list()) as unknown as Record<string, unknown>[],
    users: (await store.users.list()) as unknown as Record<string, unknown>[],
    settings,
    cards: { batches, redemptions } as unknown as StateData['cards'],
  };
  if (options.withUsage) data.usage = await usageOf(options);

  const body = {
    format: STATE_FILE_FORMAT,
    version: STATE_FILE_VERSION,
    exportedAt: new Date(options.now()).toISOString(),
    source: { storeKind: store.kind, schemaVersion: await store.schemaVersion() },
    encryption: { kdf: 'scrypt' as const, ...PASSPHRASE_KDF, salt, cipher: 'aes-256-gcm' as const, check: keys.sealCheck() },
    keyHashCheck: keys.seal(keyHashCheckOf(secrets)),
    data,
  };
  return { ...body, mac: keys.mac(body) };
}

async function metersOf(store: Store, keyId: string): Promise<KeyMeters> {
  const [costTotal] = await store.meters.getTotals([spendMeter.total(keyId)]);
  return {
    costTotal: costTotal ?? 0,
    maxCost: await store.meters.getMax(spendMeter.maxCost(keyId)),
    maxTokens: await store.meters.getMax(spendMeter.maxTokens(keyId)),
    firstUse: (await store.meters.getMark(spendMeter.firstUse(keyId))) ?? 0,
  };
}

async function usageOf(options: ExportStateOptions): Promise<NonNullable<StateData['usage']>> {
  const { store } = options;
  const count = await store.usage.count();
  const records = (await store.usage.list({ limit: count })).reverse();
  const aggregates = [];
  const periodsByScope = new Map<string, string[]>();
  for (const period of aggregatePeriodLabels(options.now(), options.timeZone, options.retention)) {
    for (const scope of await store.usageAggregates.scopes(period)) {
      const periods = periodsByScope.get(scope) ?? [];
      periods.push(period);
      periodsByScope.set(scope, periods);
    }
  }
  for (const [scope, periods] of periodsByScope) {
    for (const [period, totals] of await store.usageAggregates.get(scope, periods)) aggregates.push({ scope, period, totals });
  }
  return { records, aggregates } as unknown as NonNullable<StateData['usage']>;
}
