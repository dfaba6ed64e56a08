/**
 * The config file's `auth` section: who may sign in besides the admins in the store.
 * `auth.users` sets the user portal's defaults (self-registration, how many keys a user
 * may create and with which limits; an admin can change them at run time), `auth.ldap`
 * lets people of an LDAP directory or Active Directory sign in with their own password.
 */
import { z } from 'zod';
import { keyLimitsSchema } from '../limits/key-limits-schema.js';

/** Default search filter: OpenLDAP's `uid`. Active Directory: `(sAMAccountName={username})`. */
export const DEFAULT_LDAP_SEARCH_FILTER = '(uid={username})';
/** Default group search: groups listing the user's DN as a member. */
export const DEFAULT_LDAP_GROUP_FILTER = '(|(member={dn})(uniqueMember={dn}))';

export const ldapSchema = z
  .strictObject({
    /** `ldap://host:389` or `ldaps://host:636`. */
    url: z.string().regex(/^ldaps?:\/\/[^/\s]+\/?$/i, 'expected ldap://host[:port] or ldaps://host[:port]'),
    /** Upgrade an `ldap://` connection with StartTLS before binding. */
    startTls: z.boolean().default(false),
    /** PEM file of the CA that signed the directory's certificate (ldaps:// or StartTLS). */
    caFile: z.string().min(1).optional(),
    /** The service account that searches for users; absent: an anonymous search. */
    bindDn: z.string().min(1).optional(),
    /** The service account's password; set it from the environment (LDAP_BIND_PASSWORD or `${VAR}`). */
    bindPassword: z.string().min(1).optional(),
    /** Where users are searched, e.g. `ou=people,dc=example,dc=com`. */
    searchBase: z.string().min(1),
    /**
     * The user search; `{username}` is the name typed (its `DOMAIN\` prefix and `@domain`
     * suffix removed), `{input}` the name as typed; both escaped per RFC 4515.
     */
    searchFilter: z
      .string()
      .default(DEFAULT_LDAP_SEARCH_FILTER)
      .refine((filter) => /\{(username|input)\}/.test(filter), 'must contain {username} or {input}'),
    /** The attribute holding the user's sign-in name in the directory (AD: `sAMAccountName`). */
    usernameAttribute: z.string().min(1).default('uid'),
    displayNameAttribute: z.string().min(1).default('cn'),
    emailAttribute: z.string().min(1).default('mail'),
    /** The attribute listing a user's groups on the user entry (AD and OpenLDAP's memberof overlay). */
    memberOfAttribute: z.string().min(1).default('memberOf'),
    /** Where groups are searched for the user's DN; absent: only `memberOfAttribute` is read. */
    groupSearchBase: z.string().min(1).optional(),
    /** The group search; `{dn}` is the user's DN (escaped). */
    groupSearchFilter: z.string().default(DEFAULT_LDAP_GROUP_FILTER),
    /** Members of these groups (DN or common name, any case) sign in as admins. */
    adminGroups: z.array(z.string().min(1)).default([]),
    /** Members of these groups sign in as users. Nobody outside both lists may sign in. */
    userGroups: z.array(z.string().min(1)).default([]),
    /** Longest an LDAP operation may take, and the connection. */
    timeoutMs: z.number().int().min(100).default(5_000),
    connectTimeoutMs: z.number().int().min(100).default(5_000),
  })
  .refine((ldap) => ldap.adminGroups.length + ldap.userGroups.length > 0, {
    message: 'name at least one group in adminGroups or userGroups: nobody else may sign in',
    path: ['adminGroups'],
  })
  .refine((ldap) => !(ldap.startTls && /^ldaps:/i.test(ldap.url)), {
    message: 'startTls is for ldap:// URLs; ldaps:// is encrypted already',
    path: ['startTls'],
  })
  .refine((ldap) => (ldap.bindDn === undefined) === (ldap.bindPassword === undefined), {
    message: 'set bindDn and bindPassword together (or neither, for an anonymous search)',
    path: ['bindPassword'],
  });

/** The user portal's defaults; an admin can change them at run time (stored settings win). */
export const portalPolicySchema = z.strictObject({
  /** Anyone who can reach the sign-in page may create a user account (role `user`). */
  selfRegistration: z.boolean().default(false),
  /** Most keys a user may hold (an admin can set another number per user). */
  maxKeysPerUser: z.number().int().min(0).max(1000).default(1),
  /** The limits every key a user creates gets (docs/limits.md); an admin can set others per user. */
  keyLimits: keyLimitsSchema.default({}),
  /** Whether users may delete their own keys (else only disable them). */
  allowKeyDeletion: z.boolean().default(true),
});

export const authSchema = z.strictObject({
  users: portalPolicySchema.prefault({}),
  ldap: ldapSchema.optional(),
});

export type LdapConfig = z.infer<typeof ldapSchema>;
export type PortalPolicy = z.infer<typeof portalPolicySchema>;
