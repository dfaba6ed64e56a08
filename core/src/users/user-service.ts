/**
 * Users and their keys: local users (created by an admin, by self-registration or from
 * an invite), directory users (provisioned at their first LDAP sign-in, role refreshed at
 * each), enabling and disabling (a disabled user's keys are switched off at once, and
 * back on when the user is enabled again), and the keys a user creates for themselves
 * within their allowance. A key records its owner's username in `owner`.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { PortalPolicy } from '../config/auth-schema.js';
import { hashPassword } from '../auth/password-hash.js';
import type { KeyService } from '../keys/key-service.js';
import type { KeyRecord, Store, UserRecord, UserRole } from '../store/types.js';
import type { Clock } from '../time/clock.js';
import { readPortalPolicy, userKeyAllowance, writePortalPolicy } from './portal-policy.js';
import { UserRefusedError } from './user-refused-error.js';

/** Options of {@link UserService}. */
export interface UserServiceOptions {
  store: Pick<Store, 'users' | 'settings' | 'leases'>;
  keys: KeyService;
  clock: Clock;
  log: Logger;
  /** The config file's `auth.users`. */
  policyDefaults: PortalPolicy;
}

/** A new local user. */
export interface NewLocalUser {
  username: string;
  password: string;
  role: UserRole;
  displayName?: string | undefined;
  email?: string | undefined;
  maxKeys?: number | undefined;
  keyLimits?: Record<string, unknown> | undefined;
}

/** A change to a user; `null` clears an optional field. */
export interface UserChange {
  role?: UserRole | undefined;
  displayName?: string | null | undefined;
  email?: string | null | undefined;
  maxKeys?: number | null | undefined;
  keyLimits?: Record<string, unknown> | null | undefined;
  /** A new password (local users only). */
  password?: string | undefined;
}

/** What a directory sign-in found out about a person. */
export interface DirectoryUser {
  username: string;
  role: UserRole;
  displayName?: string | undefined;
  email?: string | undefined;
}

/** Lock TTL of a user's key creation (so a burst cannot go past the maximum). */
const KEY_LOCK_TTL_MS = 10_000;

/** Manages users, their status and their own keys. */
export class UserService {
  constructor(private readonly options: UserServiceOptions) {}

  list(): Promise<UserRecord[]> {
    return this.options.store.users.list();
  }

  get(username: string): Promise<UserRecord | undefined> {
    return this.options.store.users.get(username);
  }

  /** The portal policy in force. */
  policy(): Promise<PortalPolicy> {
    return readPortalPolicy(this.options.store, this.options.policyDefaults);
  }

  async setPolicy(policy: PortalPolicy): Promise<PortalPolicy> {
    await writePortalPolicy(this.options.store, policy);
    return policy;
  }

  /** Creates a local user; refused when the name is taken. */
  async createLocal(input: NewLocalUser): Promise<UserRecord> {
    if (await this.get(input.username)) throw new UserRefusedError(`A user named ${input.username} exists.`, 'conflict');
    const at = this.nowIso();
    const record: UserRecord = {
      username: input.username,
      role: input.role,
      source: 'local',
      enabled: true,
      passwordHash: await hashPassword(input.password),
      createdAt: at,
      updatedAt: at,
      ...(input.displayName ? { displayName: input.displayName } : {}),
      ...(input.email ? { email: input.email } : {}),
      ...(input.maxKeys !== undefined ? { maxKeys: input.maxKeys } : {}),
      ...(input.keyLimits !== undefined ? { keyLimits: input.keyLimits } : {}),
    };
    await this.options.store.users.put(record);
    return record;
  }

  /** Changes a user; refuses to take the admin role from the last enabled admin. */
  async update(username: string, change: UserChange): Promise<UserRecord | undefined> {
    const user = await this.get(username);
    if (!user) return undefined;
    if (change.role === 'user' && user.role === 'admin' && user.enabled) await this.assertNotLastAdmin(username);
    if (change.password !== undefined && user.source !== 'local') {
      throw new UserRefusedError('This user signs in through the directory; change the password there.');
    }
    const next: UserRecord = { ...user, updatedAt: this.nowIso() };
    if (change.role !== undefined) next.role = change.role;
    assign(next, 'displayName', change.displayName);
    assign(next, 'email', change.email);
    assign(next, 'maxKeys', change.maxKeys);
    assign(next, 'keyLimits', change.keyLimits);
    if (change.password !== undefined) next.passwordHash = await hashPassword(change.password);
    await this.options.store.users.put(next);
    return next;
  }

  /**
   * Enables or disables a user. Disabling ends their sessions and switches their enabled
   * keys off (remembering which); enabling switches those keys back on.
   */
  async setEnabled(username: string, enabled: boolean): Promise<UserRecord | undefined> {
    const user = await this.get(username);
    if (!user) return undefined;
    if (user.enabled === enabled) return user;
    if (!enabled && user.role === 'admin') await this.assertNotLastAdmin(username);
    const next: UserRecord = { ...user, enabled, updatedAt: this.nowIso() };
    if (!enabled) {
      // The user first, so no new session or key of theirs starts while the keys go off.
      const owned = await this.ownedKeys(username);
      next.suspendedKeys = owned.filter((key) => key.enabled).map((key) => key.id);
      await this.options.store.users.put(next);
      for (const id of next.suspendedKeys) await this.options.keys.setEnabled(id, false);
    } else {
      const suspended = user.suspendedKeys ?? [];
      delete next.suspendedKeys;
      for (const id of suspended) {
        const key = await this.options.keys.get(id);
        if (key?.owner === username) await this.options.keys.setEnabled(id, true);
      }
      await this.options.store.users.put(next);
    }
    this.options.log.info(enabled ? 'user enabled' : 'user disabled', {
      username,
      keys: enabled ? (user.suspendedKeys?.length ?? 0) : next.suspendedKeys!.length,
    });
    return next;
  }

  /** Deletes a user; their keys are switched off (and keep naming them as owner). */
  async delete(username: string): Promise<boolean> {
    const user = await this.get(username);
    if (!user) return false;
    if (user.role === 'admin' && user.enabled) await this.assertNotLastAdmin(username);
    await this.options.store.users.delete(username);
    for (const key of await this.ownedKeys(username)) if (key.enabled) await this.options.keys.setEnabled(key.id, false);
    return true;
  }

  /**
   * Creates or refreshes a directory user after a successful LDAP sign-in: the role and
   * names follow the directory at every sign-in. A local user of the same name is never
   * touched (the caller checks the local password first).
   */
  async provisionDirectoryUser(found: DirectoryUser): Promise<UserRecord> {
    const existing = await this.get(found.username);
    if (existing && existing.source !== 'ldap') throw new UserRefusedError(`${found.username} is a local user.`, 'conflict');
    const at = this.nowIso();
    const record: UserRecord = {
      ...(existing ?? { enabled: true, createdAt: at }),
      username: found.username,
      source: 'ldap',
      role: found.role,
      updatedAt: at,
      lastSignInAt: at,
    };
    assign(record, 'displayName', found.displayName ?? null);
    assign(record, 'email', found.email ?? null);
    await this.options.store.users.put(record);
    if (!existing) this.options.log.info('directory user provisioned', { username: found.username, role: found.role });
    else if (existing.role !== found.role) {
      this.options.log.info('directory user role changed', { username: found.username, from: existing.role, to: found.role });
    }
    return record;
  }

  /** Records a successful sign-in. */
  async touchSignIn(user: UserRecord): Promise<void> {
    await this.options.store.users.put({ ...user, lastSignInAt: this.nowIso() });
  }

  /** The keys `username` owns. */
  async ownedKeys(username: string): Promise<KeyRecord[]> {
    return (await this.options.keys.list()).filter((key) => key.owner === username);
  }

  /** How many keys `user` may hold and with which limits. */
  async allowance(user: UserRecord): Promise<{ maxKeys: number; keyLimits: Record<string, unknown> }> {
    return userKeyAllowance(await this.policy(), user);
  }

  /**
   * Creates a key owned by `user` with the limits of their allowance; refused once they
   * hold their maximum. One creation per user at a time (a shared lock), so a burst of
   * parallel requests cannot go past it.
   */
  async createOwnedKey(
    user: UserRecord,
    input: { name: string; description?: string | undefined; expiresAt?: string | undefined },
  ): Promise<{ record: KeyRecord; plaintext: string }> {
    const lock = `user-keys:${user.username}`;
    const holder = randomUUID();
    if (!(await this.options.store.leases.acquire(lock, holder, 1, KEY_LOCK_TTL_MS))) {
      throw new UserRefusedError('Another key of yours is being created; try again.', 'conflict');
    }
    try {
      const { maxKeys, keyLimits } = await this.allowance(user);
      const held = (await this.ownedKeys(user.username)).length;
      if (held >= maxKeys) {
        throw new UserRefusedError(`You hold ${held} of at most ${maxKeys} keys; delete or ask an admin first.`, 'forbidden');
      }
      return await this.options.keys.create({
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
        owner: user.username,
        limits: keyLimits,
        source: 'admin',
      });
    } finally {
      await this.options.store.leases.release(lock, holder);
    }
  }

  private async assertNotLastAdmin(username: string): Promise<void> {
    const others = (await this.list()).filter((user) => user.role === 'admin' && user.enabled && user.username !== username);
    if (others.length === 0) throw new UserRefusedError('The last enabled admin must stay an enabled admin.');
  }

  private nowIso(): string {
    return new Date(this.options.clock.now()).toISOString();
  }
}

/** Sets (value), clears (null) or leaves (undefined) an optional field. */
function assign<K extends 'displayName' | 'email' | 'maxKeys' | 'keyLimits'>(
  record: UserRecord,
  field: K,
  value: UserRecord[K] | null | undefined,
): void {
  if (value === null) delete record[field];
  else if (value !== undefined) record[field] = value;
}
