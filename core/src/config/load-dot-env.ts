/**
 * `.env` loading: reads `KEY=value` lines from a file into an environment object
 * without overriding variables that are already set (the same rule as Node's
 * `process.loadEnvFile`, but into any object).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Loads `<dir>/.env` into `env` when the file exists. Variables already present in
 * `env` win. Returns the names it set (empty when there is no file).
 */
export async function loadDotEnv(dir: string, env: NodeJS.ProcessEnv): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(join(dir, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return [];
    throw error;
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (value === undefined || env[name] !== undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
