/**
 * The first admin account, and the way back in when its password is lost. A generated
 * password is shown exactly once through `print` (the console), never logged and never
 * written to disk in plaintext.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '@switchyard/plugin-api';
import type { GatewayConfig } from '../config/schema.js';
import type { Store } from '../store/types.js';
import { hashPassword } from './password-hash.js';

/** Username of a generated first admin. */
export const DEFAULT_ADMIN_USERNAME = 'admin';
/** Shortest accepted admin password. */
export const MIN_ADMIN_PASSWORD_LENGTH = 8;

const BOOTSTRAP_LOCK = 'admin:bootstrap';

/** Options of {@link ensureFirstAdmin}. */
export interface EnsureFirstAdminOptions {
  store: Pick<Store, 'users' | 'leases'>;
  config: Pick<GatewayConfig, 'admin'>;
  log: Logger;
  /** Shows one-time notices to the operator (the console); called at most once. */
  print: (lines: readonly string[]) => void;
}

/** What {@link ensureFirstAdmin} did. */
export interface EnsureFirstAdminResult {
  /** True when this call created an admin. */
  created: boolean;
  username?: string;
  /** True when the password was generated (and printed). */
  generated: boolean;
}

/** A random 24-character password (18 random bytes, base64url). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

async function hasAdmin(store: Pick<Store, 'users'>): Promise<boolean> {
  return (await store.users.list()).some((user) => user.role === 'admin');
}

/**
 * Creates the first admin when none exists: from `admin.username`/`admin.password`
 * (ADMIN_USERNAME / ADMIN_PASSWORD) when configured, else `admin` with a generated
 * password printed once. Does nothing when an admin exists. With several instances
 * starting at once, one of them creates it.
 */
export async function ensureFirstAdmin(options: EnsureFirstAdminOptions): Promise<EnsureFirstAdminResult> {
  const { store, config, log, print } = options;
  if (await hasAdmin(store)) return { created: false, generated: false };
  const holder = randomUUID();
  if (!(await store.leases.acquire(BOOTSTRAP_LOCK, holder, 1, 30_000))) {
    log.info('another instance is creating the first admin');
    return { created: false, generated: false };
  }
  try {
    if (await hasAdmin(store)) return { created: false, generated: false };
    const username = config.admin.username ?? DEFAULT_ADMIN_USERNAME;
    const configured = config.admin.password;
    const password = configured ?? generatePassword();
    const at = new Date().toISOString();
    const passwordHash = await hashPassword(password);
    await store.users.put({
      username,
      role: 'admin',
      source: 'local',
      enabled: true,
      passwordHash,
      createdAt: at,
      updatedAt: at,
    });
    if (configured !== undefined) {
      log.info('created the first admin from the configuration (ADMIN_USERNAME / ADMIN_PASSWORD)', { username });
      return { created: true, username, generated: false };
    }
    log.info('created the first admin with a generated password (printed to the console once)', { username });
    print([
      'Switchyard created an admin account for the web admin:',
      `  username: ${username}`,
      `  password: ${password}`,
      'This password is shown only this once. Store it now, or set ADMIN_USERNAME/ADMIN_PASSWORD,',
      'or change it later with `switchyard admin reset-password`.',
    ]);
    return { created: true, username, generated: true };
  } finally {
    await store.leases.release(BOOTSTRAP_LOCK, holder);
  }
}

/** Options of {@link resetAdminPassword}. */
export interface ResetAdminPasswordOptions {
  store: Pick<Store, 'users'>;
  username: string;
  /** The new password (at least 8 characters); generated when absent. */
  password?: string;
}

/**
 * Sets an admin's password, creating the admin when it does not exist (an existing user of
 * that name becomes a local, enabled admin), and returns the
 * new password (the one given, or a generated one the caller shows once).
 */
export async function resetAdminPassword(options: ResetAdminPasswordOptions): Promise<string> {
  const { store, username } = options;
  if (typeof username !== 'string' || username.trim() === '') throw new Error('the admin username must not be empty');
  if (options.password !== undefined && options.password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new Error(`the admin password needs at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`);
  }
  const password = options.password ?? generatePassword();
  const existing = await store.users.get(username);
  const at = new Date().toISOString();
  // The way back in: the account becomes a local, enabled admin whatever it was.
  await store.users.put({
    ...existing,
    username,
    role: 'admin',
    source: 'local',
    enabled: true,
    passwordHash: await hashPassword(password),
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
  });
  return password;
}
