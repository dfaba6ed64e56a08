/**
 * Checks a username and password for the web admin and the user portal: a local user's
 * password here, else (when `auth.ldap` is configured) the directory's, which also
 * provisions the user and refreshes their role. Every failure is a {@link SignInError}
 * whose reason the login route turns into an answer; the password is never logged.
 */
import type { Logger } from '@switchyard/plugin-api';
import type { Store, UserRecord } from '../store/types.js';
import type { DirectoryUser, UserService } from '../users/user-service.js';
import { hashPassword, verifyPassword } from './password-hash.js';

/** Why a sign-in failed. */
export type SignInFailure = 'wrong_credentials' | 'disabled' | 'not_allowed' | 'directory_unavailable';

/** A refused sign-in. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(
    readonly reason: SignInFailure,
    message: string,
  ) {
    super(message);
  }
}

/** A directory that checks passwords (LDAP / Active Directory); throws {@link SignInError}. */
export interface DirectoryAuthenticator {
  authenticate(username: string, password: string): Promise<DirectoryUser>;
}

/** Options of {@link SignIn}. */
export interface SignInOptions {
  store: Pick<Store, 'users'>;
  users: UserService;
  log: Logger;
  directory?: DirectoryAuthenticator | undefined;
}

/** A hash no password matches, checked for unknown usernames so timing does not reveal them. */
const DUMMY_HASH = hashPassword('switchyard-no-such-user');

/** Checks sign-ins. */
export class SignIn {
  constructor(private readonly options: SignInOptions) {}

  /** The user `username` signs in as; throws {@link SignInError} when refused. */
  async check(username: string, password: string): Promise<UserRecord> {
    const { store, users, directory, log } = this.options;
    const local = await store.users.get(username);
    if (local?.source === 'local' || !directory) {
      const ok = await verifyPassword(password, local?.passwordHash ?? (await DUMMY_HASH));
      if (!local || local.source !== 'local' || !ok) throw new SignInError('wrong_credentials', 'Wrong username or password.');
      if (!local.enabled) throw new SignInError('disabled', 'This account is disabled; ask an admin.');
      await users.touchSignIn(local);
      return local;
    }
    const found = await directory.authenticate(username, password);
    const existing = await users.get(found.username);
    if (existing && existing.source !== 'ldap') {
      log.warn('directory sign-in refused: a local user has the same name', { username: found.username });
      throw new SignInError('wrong_credentials', 'Wrong username or password.');
    }
    if (existing && !existing.enabled) {
      log.warn('directory sign-in refused: the user is disabled', { username: found.username });
      throw new SignInError('disabled', 'This account is disabled; ask an admin.');
    }
    return users.provisionDirectoryUser(found);
  }
}
