/**
 * The message catalog: every area file of src/lib/messages is folded into the one catalog,
 * and English and Simplified Chinese have the same keys and the same placeholders in each.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalog } from '../src/lib/messages/catalog.js';

const MESSAGES = join(dirname(fileURLToPath(import.meta.url)), '../src/lib/messages');
/** Files of the folder that are machinery, not areas. */
const MACHINERY = new Set(['catalog.ts', 'locale.svelte.ts']);

type Languages = Record<string, Record<string, string>>;

function isCatalog(value: unknown): value is Languages {
  return typeof value === 'object' && value !== null && 'en' in value && 'zh-CN' in value;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

const areaFiles = readdirSync(MESSAGES).filter((file) => file.endsWith('.ts') && !MACHINERY.has(file));

describe('admin message catalog', () => {
  it('has area files (the check below is not vacuous)', () => {
    expect(areaFiles).to.include.members(['cards.ts', 'common.ts', 'layout.ts']);
  });

  for (const file of areaFiles) {
    describe(file, () => {
      it('exports a catalog folded into catalog.ts', async () => {
        const module = (await import(pathToFileURL(join(MESSAGES, file)).href)) as Record<string, unknown>;
        const catalogs = Object.values(module).filter(isCatalog);
        expect(catalogs.length, `${file} exports no Catalog`).to.be.above(0);
        // The same module may load twice under the test runner (the file by URL, catalog.ts by
        // import), so the catalog is compared by content, not identity.
        const folded = Object.values(catalog).map((area) => JSON.stringify(area));
        for (const area of catalogs)
          expect(folded, `${file}'s catalog is missing from catalog.ts`).to.include(JSON.stringify(area));
      });

      it('has the same keys and placeholders in English and Simplified Chinese, none empty', async () => {
        const module = (await import(pathToFileURL(join(MESSAGES, file)).href)) as Record<string, unknown>;
        for (const area of Object.values(module).filter(isCatalog)) {
          expect(Object.keys(area).sort()).to.deep.equal(['en', 'zh-CN']);
          const en = area['en']!;
          const zh = area['zh-CN']!;
          expect(Object.keys(zh).sort(), `${file}: keys differ`).to.deep.equal(Object.keys(en).sort());
          for (const [key, text] of Object.entries(en)) {
            expect(text.trim(), `${file} en.${key} is empty`).to.not.equal('');
            expect(zh[key]!.trim(), `${file} zh-CN.${key} is empty`).to.not.equal('');
            expect(placeholders(zh[key]!), `${file} ${key}: placeholders differ`).to.deep.equal(placeholders(text));
          }
        }
      });
    });
  }
});
