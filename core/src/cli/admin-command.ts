/**
 * `switchyard admin reset-password`: the way back into the web admin.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_ADMIN_USERNAME, MIN_ADMIN_PASSWORD_LENGTH, resetAdminPassword } from '../auth/admin-bootstrap.js';
import type { CliIo } from './cli-io.js';
import { withOperatorContext, type CliDeps } from './operator-context.js';
import { UsageError } from './usage-error.js';

/** Runs an `admin` subcommand; returns the exit status. */
export async function adminCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [action, ...rest] = args;
  if (action !== 'reset-password') {
    throw new UsageError(action ? `unknown admin command "${action}"` : 'admin needs a command: reset-password');
  }
  const { values } = parseArgs({
    args: rest,
    options: { config: { type: 'string', short: 'c' }, username: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (values.username !== undefined && values.username.trim() === '') throw new UsageError('--username must not be empty');
  if (values.password !== undefined && values.password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new UsageError(`--password needs at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`);
  }
  const { username, password } = await withOperatorContext(values.config, deps, io, async ({ store }) => {
    let username = values.username?.trim();
    if (username === undefined) {
      const admins = (await store.users.list()).filter((user) => user.role === 'admin');
      username = admins.length === 1 ? admins[0]!.username : DEFAULT_ADMIN_USERNAME;
    }
    const options = values.password === undefined ? { store, username } : { store, username, password: values.password };
    return { username, password: await resetAdminPassword(options) };
  });
  if (values.password !== undefined) {
    io.stdout(`Password of admin "${username}" set.\n`);
    return 0;
  }
  io.stderr(`Password of admin "${username}" reset. The new password is shown only this once:\n`);
  io.stdout(`${password}\n`);
  return 0;
}
