/**
 * Where the state commands get their passphrase: the environment variable the operator
 * names (`--passphrase-env VAR`), or a prompt on the terminal (not echoed).
 */
import { UsageError } from './usage-error.js';

/** Asks for a secret without echoing it; rejects when there is no terminal. */
export type SecretPrompt = (question: string) => Promise<string>;

/** Reads a line from the terminal with echo off. */
export const terminalPrompt: SecretPrompt = async (question) => {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) throw new UsageError('no terminal to ask for the passphrase on: pass --passphrase-env VAR');
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: string) => {
        for (const char of chunk) {
          if (char === '\r' || char === '\n') {
            stdin.off('data', onData);
            stderr.write('\n');
            return resolve(typed);
          }
          if (char === '\u0003') {
            stdin.off('data', onData);
            return reject(new UsageError('cancelled'));
          }
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
          else typed += char;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
  }
};

/** The passphrase from `env[variable]`, or asked (twice when `confirm`, for a new file). */
export async function readPassphrase(options: {
  variable: string | undefined;
  env: NodeJS.ProcessEnv;
  prompt: SecretPrompt;
  confirm: boolean;
  minLength?: number;
}): Promise<string> {
  let passphrase: string;
  if (options.variable !== undefined) {
    const value = options.env[options.variable];
    if (value === undefined || value === '')
      throw new UsageError(`--passphrase-env ${options.variable}: the variable is not set`);
    passphrase = value;
  } else {
    passphrase = await options.prompt('Passphrase: ');
    if (options.confirm && (await options.prompt('Passphrase again: ')) !== passphrase) {
      throw new UsageError('the passphrases differ');
    }
  }
  if (options.minLength !== undefined && passphrase.length < options.minLength) {
    throw new UsageError(`the passphrase needs at least ${options.minLength} characters`);
  }
  return passphrase;
}
