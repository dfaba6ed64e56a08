/**
 * `switchyard keys create|list|revoke`: client keys from the command line.
 */
import { parseArgs } from 'node:util';
import { KeyService } from '../keys/key-service.js';
import type { CliIo } from './cli-io.js';
import { formatTable } from './format-table.js';
import { withOperatorContext, type CliDeps, type OperatorContext } from './operator-context.js';
import { UsageError } from './usage-error.js';

const keyServiceOf = async (context: OperatorContext): Promise<KeyService> =>
  new KeyService({
    store: context.store,
    secrets: await context.secrets(),
    keyPrefix: context.config.security.keyPrefix,
    log: context.log,
  });

/** Runs a `keys` subcommand; returns the exit status. */
export async function keysCommand(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const [action, ...rest] = args;
  switch (action) {
    case 'create':
      return createKey(rest, io, deps);
    case 'list':
      return listKeys(rest, io, deps);
    case 'revoke':
      return revokeKey(rest, io, deps);
    default:
      throw new UsageError(action ? `unknown keys command "${action}"` : 'keys needs a command: create, list or revoke');
  }
}

async function createKey(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      config: { type: 'string', short: 'c' },
      name: { type: 'string' },
      limits: { type: 'string' },
      expires: { type: 'string' },
      tags: { type: 'string' },
      description: { type: 'string' },
      owner: { type: 'string' },
    },
    strict: true,
  });
  if (!values.name?.trim()) throw new UsageError('keys create needs --name');
  let limits: Record<string, unknown> = {};
  if (values.limits !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(values.limits);
    } catch {
      throw new UsageError('--limits must be a JSON object');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new UsageError('--limits must be a JSON object');
    limits = parsed as Record<string, unknown>;
  }
  if (values.expires !== undefined && Number.isNaN(Date.parse(values.expires))) {
    throw new UsageError('--expires must be an ISO 8601 date, e.g. 2027-01-31T00:00:00Z');
  }
  const tags =
    values.tags
      ?.split(',')
      .map((tag) => tag.trim())
      .filter(Boolean) ?? [];
  const { record, plaintext } = await withOperatorContext(values.config, deps, io, async (context) =>
    (await keyServiceOf(context)).create({
      name: values.name!.trim(),
      tags,
      limits,
      source: 'cli',
      ...(values.expires === undefined ? {} : { expiresAt: new Date(values.expires).toISOString() }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.owner === undefined ? {} : { owner: values.owner }),
    }),
  );
  io.stderr(`Created key ${record.id} (${record.name}). Its secret is shown only this once:\n`);
  io.stdout(`${plaintext}\n`);
  return 0;
}

async function listKeys(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } },
    strict: true,
  });
  const records = await withOperatorContext(values.config, deps, io, async (context) => context.store.keys.list());
  const rows = records.map((record) => ({
    id: record.id,
    name: record.name,
    hint: record.hint,
    enabled: record.enabled,
    source: record.source,
    created: record.createdAt,
  }));
  if (values.json) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout('No keys.\n');
    return 0;
  }
  io.stdout(
    formatTable(
      ['ID', 'NAME', 'HINT', 'ENABLED', 'SOURCE', 'CREATED'],
      rows.map((row) => [row.id, row.name, row.hint, row.enabled ? 'yes' : 'no', row.source, row.created]),
    ),
  );
  return 0;
}

async function revokeKey(args: string[], io: CliIo, deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { config: { type: 'string', short: 'c' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('keys revoke needs exactly one key id');
  const id = positionals[0]!;
  const deleted = await withOperatorContext(values.config, deps, io, async (context) => context.store.keys.delete(id));
  if (!deleted) {
    io.stderr(`error: no key with id ${id}\n`);
    return 1;
  }
  io.stdout(`Revoked key ${id}.\n`);
  return 0;
}
