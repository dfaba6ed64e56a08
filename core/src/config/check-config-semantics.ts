/**
 * Checks the schema cannot express: unique ids and names, references between
 * sections, plugin entries naming exactly one source. Runs on the raw (interpolated)
 * document, so its problems are listed together with the schema's.
 */
import { formatConfigPath } from './config-error.js';

type Doc = Record<string, unknown>;

function isObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function items(document: Doc, name: string): [number, Doc][] {
  const list = document[name];
  if (!Array.isArray(list)) return [];
  return list.flatMap((item, index): [number, Doc][] => (isObject(item) ? [[index, item]] : []));
}

/** Reports each repeated value of `field` in `list`, pointing at the first occurrence. */
function duplicates(section: string, list: [number, Doc][], field: string, what: string, showValue = true): string[] {
  const seen = new Map<string, number>();
  const problems: string[] = [];
  for (const [index, item] of list) {
    const value = item[field];
    if (typeof value !== 'string') continue;
    const first = seen.get(value);
    if (first === undefined) seen.set(value, index);
    else {
      const shown = showValue ? ` ${JSON.stringify(value)}` : '';
      problems.push(
        `${formatConfigPath([section, index, field])}: duplicate ${what}${shown} (also ${formatConfigPath([section, first])})`,
      );
    }
  }
  return problems;
}

/**
 * Returns one `path: message` line per problem: duplicate account ids, group ids, key
 * names and key values (never printing a key); accounts naming groups that are not
 * declared (only checked when the config declares groups); plugin entries with
 * neither or both of `package` and `path`.
 */
export function checkConfigSemantics(document: unknown): string[] {
  if (!isObject(document)) return [];
  const accounts = items(document, 'accounts');
  const groups = items(document, 'groups');
  const keys = items(document, 'keys');
  const problems = [
    ...duplicates('accounts', accounts, 'id', 'account id'),
    ...duplicates('groups', groups, 'id', 'group id'),
    ...duplicates('keys', keys, 'name', 'key name'),
    ...duplicates('keys', keys, 'key', 'key value', false),
  ];

  if (groups.length > 0) {
    const declared = new Set(groups.map(([, group]) => group.id).filter((id) => typeof id === 'string'));
    for (const [index, account] of accounts) {
      if (!Array.isArray(account.groups)) continue;
      account.groups.forEach((group, position) => {
        if (typeof group === 'string' && !declared.has(group)) {
          problems.push(
            `${formatConfigPath(['accounts', index, 'groups', position])}: group ${JSON.stringify(group)} is not declared in groups`,
          );
        }
      });
    }
  }

  if (Array.isArray(document.plugins)) {
    let autoSeen = false;
    document.plugins.forEach((entry, index) => {
      if (entry === 'auto') {
        if (autoSeen) problems.push(`${formatConfigPath(['plugins', index])}: "auto" may appear once in the list`);
        autoSeen = true;
      }
      if (!isObject(entry)) return;
      const hasPackage = entry.package !== undefined;
      const hasPath = entry.path !== undefined;
      if (hasPackage === hasPath) {
        problems.push(`${formatConfigPath(['plugins', index])}: give exactly one of "package" or "path"`);
      }
    });
  }
  return problems;
}
