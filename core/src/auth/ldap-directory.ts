/**
 * Sign-in against an LDAP directory or Active Directory (ldapts): the service account
 * binds and searches for the person (`searchFilter`, the typed name escaped per RFC 4515;
 * `DOMAIN\user` and UPN forms accepted), their groups are read (the `memberOf` attribute
 * and/or a group search), then a fresh connection binds as the found DN with the given
 * password. The groups decide the role (`adminGroups` before `userGroups`); anybody in
 * neither may not sign in. Every failure is logged with the username and the reason,
 * never the password, and becomes a `SignInError`.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Client, Entry } from 'ldapts';
import type { Logger } from '@switchyard/plugin-api';
import type { LdapConfig } from '../config/auth-schema.js';
import type { UserRole } from '../store/types.js';
import type { DirectoryUser } from '../users/user-service.js';
import { bareUsername, fillFilter } from './ldap-filter.js';
import { SignInError, type DirectoryAuthenticator } from './sign-in.js';

/** Longest accepted typed username (a longer one is refused before any LDAP traffic). */
const MAX_USERNAME_LENGTH = 256;

/** Text of the first value of an attribute. */
function first(entry: Entry, attribute: string): string | undefined {
  const value =
    entry[attribute] ?? entry[Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase()) ?? ''];
  const one = Array.isArray(value) ? value[0] : value;
  return one === undefined ? undefined : String(one);
}

/** Every value of an attribute, as text. */
function all(entry: Entry, attribute: string): string[] {
  const name = Object.keys(entry).find((key) => key.toLowerCase() === attribute.toLowerCase());
  const value = name === undefined ? undefined : entry[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** A DN compared loosely: lower case, no spaces around separators. */
function normalDn(dn: string): string {
  return dn
    .toLowerCase()
    .replace(/\s*([,=])\s*/g, '$1')
    .trim();
}

/** The value of a DN's first RDN (`cn=ops,ou=groups,…` → `ops`). */
function commonName(dn: string): string {
  const rdn = dn.split(/(?<!\\),/, 1)[0] ?? '';
  return rdn.slice(rdn.indexOf('=') + 1).trim();
}

/** Whether `groupDn` is one of `names` (each a DN, or a common name). */
function inGroups(groupDns: readonly string[], names: readonly string[]): boolean {
  const wanted = new Set(names.map((name) => (name.includes('=') ? normalDn(name) : name.toLowerCase())));
  return groupDns.some((dn) => wanted.has(normalDn(dn)) || wanted.has(commonName(dn).toLowerCase()));
}

/** What went wrong, as a log field (the class and message of an ldapts or socket error). */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 300);
  return String(error).slice(0, 300);
}

/** Checks passwords against the directory configured in `auth.ldap`. */
export class LdapDirectory implements DirectoryAuthenticator {
  private readonly tls: ConnectionOptions | undefined;

  constructor(
    private readonly config: LdapConfig,
    private readonly log: Logger,
  ) {
    // Read once at start-up: a missing CA file is a configuration error, reported at once.
    this.tls = config.caFile ? { ca: readFileSync(config.caFile) } : undefined;
  }

  async authenticate(input: string, password: string): Promise<DirectoryUser> {
    const name = bareUsername(input);
    const fail = (reason: SignInError['reason'], why: string, fields: Record<string, unknown> = {}): never => {
      this.log.warn('ldap sign-in failed', { username: input.slice(0, MAX_USERNAME_LENGTH), reason, why, ...fields });
      throw new SignInError(
        reason,
        reason === 'directory_unavailable' ? 'The directory cannot be reached.' : 'Wrong username or password.',
      );
    };
    // An empty password would make an "unauthenticated bind", which LDAP servers accept (RFC 4513 5.1.2).
    if (password === '') fail('wrong_credentials', 'empty password');
    if (name === '' || input.length > MAX_USERNAME_LENGTH) fail('wrong_credentials', 'unusable username');

    // ldapts is loaded on the first sign-in, not at start: most gateways never sign anyone in through LDAP.
    const ldapts = await import('ldapts');
    const service = this.client(ldapts.Client);
    let entry: Entry;
    let groups: string[];
    try {
      await this.open(service);
      if (this.config.bindDn !== undefined) {
        try {
          await service.bind(this.config.bindDn, this.config.bindPassword ?? '');
        } catch (error) {
          // The service account's own credentials are wrong: an operator's problem, not the person's.
          return fail('directory_unavailable', 'the service account (bindDn) could not bind', { error: describe(error) });
        }
      }
      const filter = fillFilter(this.config.searchFilter, { username: name, input: input.trim() });
      const { searchEntries } = await service.search(this.config.searchBase, {
        scope: 'sub',
        filter,
        sizeLimit: 2,
        attributes: [
          this.config.usernameAttribute,
          this.config.displayNameAttribute,
          this.config.emailAttribute,
          this.config.memberOfAttribute,
        ],
      });
      if (searchEntries.length !== 1) {
        return fail('wrong_credentials', searchEntries.length === 0 ? 'no such user' : 'the search found more than one entry');
      }
      entry = searchEntries[0]!;
      groups = all(entry, this.config.memberOfAttribute);
      if (this.config.groupSearchBase !== undefined) {
        const found = await service.search(this.config.groupSearchBase, {
          scope: 'sub',
          filter: fillFilter(this.config.groupSearchFilter, { dn: entry.dn }),
          attributes: ['cn'],
        });
        groups = [...groups, ...found.searchEntries.map((group) => group.dn)];
      }
    } catch (error) {
      if (error instanceof SignInError) throw error;
      return fail('directory_unavailable', 'the directory did not answer the search', { error: describe(error) });
    } finally {
      await service.unbind().catch(() => undefined);
    }

    // A connection of its own, so the person's bind never mixes with the service account's.
    const person = this.client(ldapts.Client);
    try {
      await this.open(person);
      await person.bind(entry.dn, password);
    } catch (error) {
      if (error instanceof ldapts.InvalidCredentialsError) return fail('wrong_credentials', 'wrong password', { dn: entry.dn });
      return fail('directory_unavailable', 'the directory did not answer the bind', { dn: entry.dn, error: describe(error) });
    } finally {
      await person.unbind().catch(() => undefined);
    }

    const role: UserRole | undefined = inGroups(groups, this.config.adminGroups)
      ? 'admin'
      : inGroups(groups, this.config.userGroups)
        ? 'user'
        : undefined;
    if (role === undefined) {
      this.log.warn('ldap sign-in failed', {
        username: input.slice(0, MAX_USERNAME_LENGTH),
        reason: 'not_allowed',
        why: 'in none of adminGroups or userGroups',
        dn: entry.dn,
      });
      throw new SignInError('not_allowed', 'You may not sign in here; ask an admin to add you to an allowed group.');
    }
    return {
      username: first(entry, this.config.usernameAttribute) ?? name,
      role,
      displayName: first(entry, this.config.displayNameAttribute),
      email: first(entry, this.config.emailAttribute),
    };
  }

  private client(LdapClient: typeof Client): Client {
    return new LdapClient({
      url: this.config.url,
      timeout: this.config.timeoutMs,
      connectTimeout: this.config.connectTimeoutMs,
      ...(this.tls && /^ldaps:/i.test(this.config.url) ? { tlsOptions: this.tls } : {}),
    });
  }

  /** Upgrades the connection with StartTLS when configured (before any credentials travel). */
  private async open(client: Client): Promise<void> {
    if (this.config.startTls) await client.startTLS(this.tls ?? {});
  }
}
