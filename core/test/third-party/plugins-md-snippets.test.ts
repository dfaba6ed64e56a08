/**
 * Every code snippet of docs/plugins.md is compiled: each ```ts block (and each block
 * marked like one) names the file it quotes in a `<!-- snippet: path -->` line just above
 * it, quotes it line for line, and that file is type-checked by `npm test`
 * (tsconfig.check.json). The files the guide links to exist.
 */
import { expect } from 'chai';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const GUIDE = 'docs/plugins.md';

interface Snippet {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  source: string | undefined;
  lines: string[];
}

function snippetsOf(markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = /^```(\w*)\s*$/.exec(lines[index]!);
    if (!open) continue;
    const end = lines.indexOf('```', index + 1);
    expect(end, `${GUIDE}:${index + 1}: unclosed code block`).to.be.greaterThan(index);
    let previous = index - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const marker = /^<!-- snippet: (\S+) -->$/.exec(lines[previous] ?? '');
    snippets.push({ line: index + 1, lang: open[1]!, source: marker?.[1], lines: lines.slice(index + 1, end) });
    index = end;
  }
  return snippets;
}

/** Whether `quoted` (compared line by line, indentation aside) appears as consecutive lines of `file`. */
function quotes(file: string, quoted: readonly string[]): boolean {
  const fileLines = file.split('\n').map((line) => line.trim());
  const wanted = quoted.map((line) => line.trim());
  for (let start = 0; start + wanted.length <= fileLines.length; start++) {
    if (wanted.every((line, offset) => fileLines[start + offset] === line)) return true;
  }
  return false;
}

/** The folders `npm test` type-checks (tsconfig.check.json's include, `*` as one segment). */
async function checkedFolders(): Promise<RegExp[]> {
  const config = JSON.parse(await readFile(join(REPO, 'tsconfig.check.json'), 'utf8')) as { include: string[] };
  return config.include.map((entry) => new RegExp(`^${entry.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]+')}/`));
}

describe('docs/plugins.md snippets', () => {
  let markdown: string;
  before(async () => {
    markdown = await readFile(join(REPO, GUIDE), 'utf8');
  });

  it('quotes every TypeScript snippet from a file npm test type-checks, line for line', async () => {
    const snippets = snippetsOf(markdown);
    const typescript = snippets.filter((snippet) => snippet.lang === 'ts');
    expect(typescript.length, 'the guide has TypeScript snippets').to.be.greaterThan(8);
    const folders = await checkedFolders();
    const problems: string[] = [];
    for (const snippet of typescript) {
      if (!snippet.source) {
        problems.push(`${GUIDE}:${snippet.line}: a ts block without a <!-- snippet: path --> line above it`);
        continue;
      }
      if (!folders.some((folder) => folder.test(snippet.source!))) {
        problems.push(`${GUIDE}:${snippet.line}: ${snippet.source} is not type-checked by npm test (tsconfig.check.json)`);
      }
    }
    for (const snippet of snippets.filter((candidate) => candidate.source !== undefined)) {
      const file = await readFile(join(REPO, snippet.source!), 'utf8').catch(() => undefined);
      if (file === undefined) problems.push(`${GUIDE}:${snippet.line}: ${snippet.source} does not exist`);
      else if (!quotes(file, snippet.lines)) problems.push(`${GUIDE}:${snippet.line}: not a quote of ${snippet.source}`);
    }
    expect(problems).to.deep.equal([]);
  });

  it('links only to files that exist, in the guide and in the echo example', async () => {
    const missing: string[] = [];
    for (const [page, base] of [
      [GUIDE, 'docs'],
      ['examples/plugin-echo/README.md', 'examples/plugin-echo'],
    ] as const) {
      const text = await readFile(join(REPO, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!(await stat(normalize(join(REPO, base, target!))).catch(() => undefined))) missing.push(`${page}: ${target}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('compares quotes line by line (a changed line is not a quote)', () => {
    expect(quotes('a\n  b\nc\n', ['b', 'c'])).to.equal(true);
    expect(quotes('a\n  b\nc\n', ['b', 'x'])).to.equal(false);
    expect(quotes('a\nb\n', ['a', '', 'b'])).to.equal(false);
  });
});
