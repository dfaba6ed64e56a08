/**
 * What earlier imports brought, kept in the shared settings: a fingerprint of each
 * imported record as the reference had it, and the usage already carried over. A
 * second import compares against it, so it changes only what changed in the reference
 * (never undoing what was changed in Switchyard since), and adds only new usage.
 */
import { createHmac } from 'node:crypto';
import type { SettingsRepository } from '../../store/types.js';
import { canonicalJson } from '../../security/canonical-json.js';

/** The setting holding the ledger. */
export const CRS_LEDGER_SETTING = 'migration.crs';

/** Usage of one key as carried over (costs in micro-USD). */
export interface CarriedUsage {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  costMicros: number;
  day: { id: string; micros: number };
  week: { id: string; micros: number };
}

export interface CrsLedger {
  keys: Record<string, { digest: string; hash: string }>;
  accounts: Record<string, string>;
  groups: Record<string, string>;
  usage: Record<string, CarriedUsage>;
}

export async function readCrsLedger(settings: Pick<SettingsRepository, 'get'>): Promise<CrsLedger> {
  const stored = await settings.get<Partial<CrsLedger>>(CRS_LEDGER_SETTING);
  return { keys: {}, accounts: {}, groups: {}, usage: {}, ...stored };
}

/** A keyed fingerprint (HMAC-SHA256 of canonical JSON): comparable, yet it reveals no secret it covers. */
export function fingerprint(secret: Buffer, value: unknown): string {
  return createHmac('sha256', secret).update(canonicalJson(value)).digest('hex');
}
