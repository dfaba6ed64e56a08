/**
 * Owner-only access to the embedded store's data: the folder is 0700 and every file in
 * it that holds data or secrets 0600, whatever the umask. Files an older version (or a
 * copy, or a restore) left readable by others are tightened when the store opens.
 */
import { chmodSync, closeSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Mode of the data folder. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file in it. */
export const PRIVATE_FILE_MODE = 0o600;

/** Group and other permission bits. */
const OTHERS = 0o077;

/** POSIX modes only: on Windows, access is the folder's ACL and chmod sets nothing useful. */
const POSIX = process.platform !== 'win32';

/**
 * Creates `dir` (and missing parents) with mode 0700; an existing `dir` that group or
 * others may use is set to 0700. Returns `dir` when it was tightened.
 */
export function ensurePrivateDir(dir: string): string | undefined {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!POSIX) return undefined;
  // mkdir's mode is masked by the umask, and an existing folder keeps its own.
  if ((statSync(dir).mode & OTHERS) === 0) return undefined;
  chmodSync(dir, PRIVATE_DIR_MODE);
  return dir;
}

/**
 * Creates `file` empty with mode 0600 unless it exists. SQLite keeps the mode of a file
 * it opens, and gives the database's mode to its `-wal` and `-shm` files.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

/** Sets each of `files` that exists and that group or others may use to 0600; returns those changed. */
export function tightenFiles(files: readonly string[]): string[] {
  if (!POSIX) return [];
  const changed: string[] = [];
  for (const file of files) {
    let mode: number;
    try {
      mode = statSync(file).mode;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    if ((mode & OTHERS) === 0) continue;
    chmodSync(file, PRIVATE_FILE_MODE);
    changed.push(file);
  }
  return changed;
}

/**
 * The files of ours a data or journal folder holds: the database and its companions, the
 * generated encryption key, the usage journal's segments. Only these are tightened: the
 * folder may hold files of the operator's that are none of our business.
 */
const OWN_FILE = /^(switchyard\.db(-wal|-shm|-journal)?|encryption\.key|usage-journal-\d+\.jsonl)$/;

/** Options of {@link securePrivateDir}. */
export interface SecurePrivateDirOptions {
  /**
   * Also set an existing folder to 0700 (default true: the data folder is the gateway's
   * own). False for a folder the operator named that may be shared (the usage journal's):
   * it is only created 0700 when missing.
   */
  readonly tightenExistingDir?: boolean;
}

/**
 * Makes the folder `dir` private: creates it 0700 (or tightens it, see the options) and
 * tightens the files of ours in it (the database and its -wal/-shm, the usage journal,
 * the generated encryption key); returns what was changed, for one warning.
 */
export function securePrivateDir(dir: string, options: SecurePrivateDirOptions = {}): string[] {
  const changed: string[] = [];
  if (options.tightenExistingDir === false) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  else {
    const folder = ensurePrivateDir(dir);
    if (folder !== undefined) changed.push(folder);
  }
  if (!POSIX) return changed;
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && OWN_FILE.test(entry.name))
    .map((entry) => join(dir, entry.name));
  return changed.concat(tightenFiles(files));
}
