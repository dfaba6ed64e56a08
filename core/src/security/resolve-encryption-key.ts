/**
 * Where `ENCRYPTION_KEY` comes from: the configuration when set; otherwise, for the
 * embedded store only, a key file generated once beside the data.
 */
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { Logger } from '@switchyard/plugin-api';

/** Options of {@link resolveEncryptionKey}. */
export interface ResolveEncryptionKeyOptions {
  /** `security.encryptionKey` (from `ENCRYPTION_KEY`), when set. */
  configured?: string;
  storeKind: 'embedded' | 'redis';
  /** The embedded store's data folder (`':memory:'` allowed); the key file is `<dataDir>/encryption.key`. */
  dataDir?: string;
  log: Logger;
}

const MIN_LENGTH = 32;
const KEY_FILE = 'encryption.key';

/**
 * Returns the encryption key to derive the gateway's secrets from. The configured key
 * wins. Without one, the embedded store reads `<dataDir>/encryption.key`, generating it
 * (64 hex characters, mode 0600) on first use and warning that it must be backed up.
 * An in-memory embedded store (`':memory:'`) gets a throwaway key. The redis store refuses to start without a configured key, because every instance
 * sharing the store needs the same one.
 */
export async function resolveEncryptionKey(options: ResolveEncryptionKeyOptions): Promise<string> {
  const { configured, storeKind, dataDir, log } = options;
  if (configured !== undefined && configured !== '') {
    if (configured.length < MIN_LENGTH) throw new Error(`ENCRYPTION_KEY must be at least ${MIN_LENGTH} characters`);
    return configured;
  }
  if (storeKind === 'redis') {
    throw new Error('ENCRYPTION_KEY is required with the redis store: every instance sharing the store needs the same one');
  }
  if (!dataDir) throw new Error('ENCRYPTION_KEY is not set and no data folder is known to keep a generated one in');
  if (dataDir === ':memory:') {
    log.debug('in-memory store without ENCRYPTION_KEY: using a throwaway key');
    return randomBytes(32).toString('hex');
  }
  const file = resolve(join(dataDir, KEY_FILE));
  const existing = await readKeyFile(file);
  if (existing !== undefined) {
    await tightenIfReadableByOthers(file, log);
    log.info('using the generated ENCRYPTION_KEY file; keep a backup of it', { file });
    return existing;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  try {
    await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it in the meantime: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKeyFile(file);
      if (theirs !== undefined) return theirs;
    }
    throw error;
  }
  await chmod(file, 0o600);
  log.warn(
    'ENCRYPTION_KEY is not set: generated one and saved it to the key file. Back this file up: ' +
      'without it the stored account credentials cannot be decrypted. Set ENCRYPTION_KEY to manage the key yourself.',
    { file },
  );
  return key;
}

async function readKeyFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const key = text.trim();
  if (key.length < MIN_LENGTH) {
    throw new Error(
      `the encryption key file ${file} is damaged (shorter than ${MIN_LENGTH} characters); restore it from a backup`,
    );
  }
  return key;
}

async function tightenIfReadableByOthers(file: string, log: Logger): Promise<void> {
  if (process.platform === 'win32') return;
  const { mode } = await stat(file);
  if ((mode & 0o077) === 0) return;
  await chmod(file, 0o600);
  log.warn('the encryption key file was readable by other users; set it to 0600', { file });
}
