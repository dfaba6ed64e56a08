/**
 * Reads a state file: checks its format and version, the passphrase, and the MAC over
 * the whole body, before anything is imported. Each failure is one clear message.
 */
import { PassphraseKeys } from './passphrase-keys.js';
import { STATE_FILE_FORMAT, STATE_FILE_VERSION, StateFileError, stateFileSchema, type StateFile } from './state-file.js';

/** A verified file and the keys that open its sealed fields. */
export interface OpenedStateFile {
  file: StateFile;
  keys: PassphraseKeys;
}

/**
 * Parses `text`, derives the passphrase keys and verifies the file.
 *
 * @throws StateFileError when the text is not a state file of a version this build reads,
 *   the passphrase is wrong, or the file was changed after export.
 */
export async function openStateFile(text: string, passphrase: string): Promise<OpenedStateFile> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError('not a Switchyard state file: it is not JSON');
  }
  const head = (json ?? {}) as { format?: unknown; version?: unknown };
  if (head.format !== STATE_FILE_FORMAT)
    throw new StateFileError('not a Switchyard state file (no "format": "switchyard-state")');
  if (head.version !== STATE_FILE_VERSION) {
    throw new StateFileError(
      `state file version ${String(head.version)} is not readable by this Switchyard (it reads version ${STATE_FILE_VERSION})`,
    );
  }
  const parsed = stateFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateFileError(`the state file is damaged: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  const file = parsed.data;
  const keys = await PassphraseKeys.derive(passphrase, file.encryption);
  if (!keys.opensCheck(file.encryption.check)) {
    throw new StateFileError('wrong passphrase: it does not open this state file (nothing was imported)');
  }
  const { mac, ...body } = file;
  if (!keys.verifyMac(body, mac)) {
    throw new StateFileError(
      'the state file was changed after it was exported: its integrity check fails (nothing was imported)',
    );
  }
  return { file, keys };
}
