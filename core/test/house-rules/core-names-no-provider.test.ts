/**
 * The core and the plugin contract never name a provider: everything provider-specific
 * lives in plugins, so a new provider never needs a core change, and the core's code,
 * comments and messages stay true whichever plugins are installed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PROVIDER_NAMES = /claude|anthropic|gemini|openai|bedrock|azure|droid|codex/i;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('house rules: the core names no provider', () => {
  for (const folder of ['core/src', 'core/plugin-api/src']) {
    it(`holds for ${folder}`, () => {
      const offenders: string[] = [];
      for (const file of sourceFiles(path.join(repoRoot, folder))) {
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, index) => {
            if (PROVIDER_NAMES.test(line)) offenders.push(`${path.relative(repoRoot, file)}:${index + 1}: ${line.trim()}`);
          });
      }
      expect(offenders, offenders.join('\n')).to.deep.equal([]);
    });
  }
});
