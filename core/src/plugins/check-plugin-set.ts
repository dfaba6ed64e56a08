/**
 * Checks across every declared plugin: unique plugin, protocol, account type and
 * translator ids; references to protocols that exist (account types and routes only:
 * translators naming an unloaded protocol are dropped at registry build, with a warning,
 * and so are the protocols an account type serves "when available", with a note);
 * no two plugins with a route on the same method and full path; no two account types
 * claiming overlapping model-id prefixes.
 */
import type { SwitchyardPlugin } from '@switchyard/plugin-api';
import { joinRoutePath, routeShape } from './route-path.js';
import { prefixClaimProblems } from '../accounts/model-prefix-claims.js';

/** A plugin as the set check sees it. */
export interface PluginSetMember {
  readonly plugin: SwitchyardPlugin<unknown>;
  readonly source: string;
  /** Effective, normalised mount points. */
  readonly mounts: readonly string[];
}

function items<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : [];
}

function name(member: PluginSetMember): string {
  return `plugin "${member.plugin.id}"`;
}

/** Records who declared each id first and reports the later ones. */
function uniqueness(what: string, problems: string[]) {
  const owners = new Map<string, PluginSetMember>();
  return (id: unknown, member: PluginSetMember): boolean => {
    if (typeof id !== 'string') return false;
    const first = owners.get(id);
    if (!first) {
      owners.set(id, member);
      return true;
    }
    if (first === member) problems.push(`${name(member)}: declares ${what} "${id}" twice`);
    else
      problems.push(
        `${what} "${id}" is declared by both ${name(first)} (from ${first.source}) and ${name(member)} (from ${member.source})`,
      );
    return false;
  };
}

/**
 * Returns every cross-plugin problem, each naming the plugins involved. Tolerates
 * malformed plugins (their shape problems are reported by `validatePlugin`).
 */
export function checkPluginSet(members: readonly PluginSetMember[]): string[] {
  const problems: string[] = [];
  const pluginIds = uniqueness('plugin id', problems);
  const protocolIds = uniqueness('protocol', problems);
  const typeIds = uniqueness('account type', problems);
  const translatorPairs = uniqueness('translator', problems);
  for (const member of members) {
    // A second plugin with a taken id is reported once; its contents would only repeat it.
    if (!pluginIds(member.plugin.id, member)) continue;
    for (const protocol of items(member.plugin.protocols)) protocolIds(protocol?.id, member);
    for (const type of items(member.plugin.accountTypes)) typeIds(type?.id, member);
    for (const translator of items(member.plugin.translators)) {
      if (typeof translator?.from === 'string' && typeof translator.to === 'string')
        translatorPairs(`${translator.from} -> ${translator.to}`, member);
    }
  }

  const known = new Set(members.flatMap((member) => items(member.plugin.protocols).map((protocol) => protocol?.id)));
  const reference = (member: PluginSetMember, where: string, id: unknown): void => {
    if (typeof id === 'string' && !known.has(id)) problems.push(`${name(member)}: ${where} refers to unknown protocol "${id}"`);
  };
  for (const member of members) {
    for (const type of items(member.plugin.accountTypes)) {
      // An entry served "when available" may name a protocol no loaded plugin defines: `buildRegistry` skips it.
      for (const protocol of items(type?.serves)) reference(member, `account type "${type.id}" serves`, protocol);
    }
    // Translators often bridge two other plugins' protocols: one naming a protocol that is
    // not loaded is left out of the registry with a warning (see `buildRegistry`), not an error.
    for (const route of items(member.plugin.routes?.routes)) {
      reference(member, `route ${String(route?.method)} ${String(route?.path)}`, route?.protocol);
    }
  }

  const types = members.flatMap((member) => items(member.plugin.accountTypes).filter((type) => type !== null));
  problems.push(...prefixClaimProblems(types.map((definition) => ({ definition }))));

  const routeOwners = new Map<string, { member: PluginSetMember; path: string }>();
  for (const member of members) {
    for (const route of items(member.plugin.routes?.routes)) {
      if (typeof route?.path !== 'string') continue;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const mount of member.mounts) {
        const path = joinRoutePath(mount, route.path);
        for (const method of methods) {
          const key = `${String(method)} ${routeShape(path)}`;
          const first = routeOwners.get(key);
          // Within one plugin a repeat (e.g. both '' and '/' under a mount) is the plugin's own affair.
          if (!first) routeOwners.set(key, { member, path });
          else if (first.member !== member)
            problems.push(
              `route conflict: ${String(method)} ${path} is declared by both ${name(first.member)} and ${name(member)}`,
            );
        }
      }
    }
  }
  return problems;
}
