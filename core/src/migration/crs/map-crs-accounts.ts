/**
 * The reference's account records as Switchyard accounts, through the import
 * declarations of the loaded account types (`imports` with source `crs`): the core reads
 * the common fields (name, priority, active, proxy, concurrency, groups) itself and
 * leaves credentials and settings to the account type. Records no loaded type takes
 * are reported, never dropped silently.
 */
import type { AccountImport, AccountTypeDefinition, SourceRecord } from '@switchyard/plugin-api';
import type { CreateAccountInput } from '../../accounts/account-types.js';
import type { CrsDecrypt } from './crs-cipher.js';
import type { CrsGroup, CrsRecord } from './read-crs-source.js';
import { crsTargetId } from './crs-ids.js';

/** The source name account types declare their imports under. */
export const CRS_SOURCE = 'crs';

/** An account type's declaration for this source. */
export interface CrsImporter {
  typeId: string;
  declaration: AccountImport;
}

/** One record's fate: an account to store, or why not. */
export type CrsAccountOutcome =
  | { sourceId: string; prefix: string; input: CreateAccountInput; notes: string[] }
  | { sourceId: string; prefix: string; name: string; skip: string };

/** The `crs` declarations of the loaded account types. */
export function crsImporters(types: readonly { definition: AccountTypeDefinition }[]): CrsImporter[] {
  return types.flatMap(({ definition }) =>
    (definition.imports ?? [])
      .filter((entry) => entry.source === CRS_SOURCE)
      .map((declaration) => ({ typeId: definition.id, declaration })),
  );
}

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** The reference's proxy (`{type, host, port, username, password}`, JSON) as a URL. */
function proxyUrl(value: unknown, notes: string[]): string | undefined {
  let proxy: unknown = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return undefined;
    try {
      proxy = JSON.parse(value);
    } catch {
      notes.push('proxy not readable; not imported');
      return undefined;
    }
  }
  if (proxy === null || typeof proxy !== 'object') return undefined;
  const { type, host, port, username, password } = proxy as Record<string, unknown>;
  if (!text(host) || !text(port)) return undefined;
  const scheme = ['http', 'https', 'socks5'].includes(text(type)) ? text(type) : 'http';
  const auth = text(username) ? `${encodeURIComponent(text(username))}:${encodeURIComponent(text(password))}@` : '';
  return `${scheme}://${auth}${text(host)}:${text(port)}`;
}

function isActive(fields: SourceRecord): boolean {
  const active = fields.isActive;
  return active === undefined || active === true || active === 'true';
}

function commonFields(
  record: CrsRecord,
  groupsOf: ReadonlyMap<string, string[]>,
  notes: string[],
): Omit<CreateAccountInput, 'type' | 'credentials'> {
  const { fields } = record;
  const priority = Number.parseInt(text(fields.priority), 10);
  const input: Omit<CreateAccountInput, 'type' | 'credentials'> = {
    id: crsTargetId(record.id),
    name: text(fields.name).trim() || record.id,
    priority: Number.isFinite(priority) ? Math.min(100, Math.max(1, priority)) : 50,
    enabled: isActive(fields),
    groups: groupsOf.get(record.id) ?? [],
    source: 'cli',
  };
  const proxy = proxyUrl(fields.proxy, notes);
  if (proxy) input.proxy = proxy;
  const concurrency = Number.parseInt(text(fields.maxConcurrentTasks ?? fields.maxConcurrency), 10);
  if (Number.isFinite(concurrency) && concurrency > 0) input.maxConcurrency = concurrency;
  if (fields.schedulable === 'false' || fields.schedulable === false) notes.push('was paused from scheduling in the reference');
  return input;
}

/** Switchyard group ids of each account, by the reference's account id. */
export function groupsByAccount(groups: readonly CrsGroup[], imported: ReadonlySet<string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const group of groups) {
    const target = crsTargetId(group.id);
    if (!imported.has(target)) continue;
    for (const member of group.members) out.set(member, [...(out.get(member) ?? []), target]);
  }
  return out;
}

/** Maps every record under the importers' prefixes. */
export function mapCrsAccounts(
  records: ReadonlyMap<string, readonly CrsRecord[]>,
  importers: readonly CrsImporter[],
  decrypt: CrsDecrypt,
  groupsOf: ReadonlyMap<string, string[]>,
): CrsAccountOutcome[] {
  const out: CrsAccountOutcome[] = [];
  for (const [prefix, list] of records) {
    const candidates = importers.filter((importer) => importer.declaration.keyPrefix === prefix);
    for (const record of list) {
      const name = text(record.fields.name).trim() || record.id;
      let taken: CrsAccountOutcome | undefined;
      for (const { typeId, declaration } of candidates) {
        let result;
        try {
          result = declaration.map(record.fields, (value) => decrypt(declaration.salt, value));
        } catch (error) {
          result = { skip: `the ${typeId} import failed: ${error instanceof Error ? error.message : String(error)}` };
        }
        if (result === undefined) continue;
        if ('skip' in result) {
          taken = { sourceId: record.id, prefix, name, skip: result.skip };
          break;
        }
        const notes: string[] = [];
        const input: CreateAccountInput = {
          ...commonFields(record, groupsOf, notes),
          type: typeId,
          credentials: result.credentials,
        };
        if (result.settings) input.settings = result.settings;
        taken = { sourceId: record.id, prefix, input, notes };
        break;
      }
      out.push(taken ?? { sourceId: record.id, prefix, name, skip: `no loaded account type imports this ${prefix} record` });
    }
  }
  return out;
}
