/**
 * No user-visible string literal in the admin's components: every text node of the
 * markup, every label-like attribute (placeholder, title, aria-label, alt) and every
 * literal given to toast(), confirm() or handleError() comes from the message catalog
 * (src/lib/messages), so both languages cover the whole admin. Brand names, symbols and
 * code-like text (paths, env names) are exempt.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

/** Words that are not language: brand and program names, units, formats. */
const BRANDS = /\b(ms|Switchyard|Claude Code|Gemini CLI|Codex CLI|OpenAI|LDAP|JSON|CSV|IP|URL|USD|API|SDK)\b/g;
/** Code-like text (an example value, a pattern, a path): one token with code characters. */
const CODE_LIKE = /^\S*[=*_/.:\d-]\S*$/;

/** Whether a piece of visible text is language that needs translating. */
function isLanguage(text: string): boolean {
  if (CODE_LIKE.test(text)) return false;
  return hasWords(text.replace(BRANDS, ''));
}

function svelteFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return svelteFiles(path);
    return name.endsWith('.svelte') ? [path] : [];
  });
}

/** Blanks out `{…}` expressions (nested braces and quoted strings inside them included). */
function withoutExpressions(markup: string): string {
  let out = '';
  let depth = 0;
  let quote = '';
  for (let index = 0; index < markup.length; index += 1) {
    const char = markup[index]!;
    if (depth === 0) {
      if (char === '{') depth = 1;
      out += depth ? ' ' : char;
      continue;
    }
    if (quote) {
      if (char === '\\') index += 1;
      else if (char === quote) quote = '';
    } else if (char === '"' || char === "'" || char === '`') quote = char;
    else if (char === '{') depth += 1;
    else if (char === '}') depth -= 1;
    out += char === '\n' ? '\n' : ' ';
  }
  return out;
}

const hasWords = (text: string) => /\p{L}{2,}/u.test(text);
const decode = (text: string) =>
  text
    .replace(/&nbsp;|&[a-z]+;|&#\d+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The user-visible literals of one component, as `line: text`. */
export function literalsOf(source: string): string[] {
  const found: string[] = [];
  const lineOf = (offset: number) => source.slice(0, offset).split('\n').length;
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  // Script: literal messages handed to the functions that show them.
  for (const script of source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    const body = script[1]!;
    const calls = /\b(?:toast|confirm|alert)\(\s*(['"`])((?:(?!\1).)*)\1|\bhandleError\([^,()]+,\s*(['"`])((?:(?!\3).)*)\3/g;
    for (const call of body.matchAll(calls)) {
      const text = call[2] ?? call[4] ?? '';
      if (isLanguage(text.replace(/\$\{[^}]*\}/g, '')))
        found.push(`${lineOf(script.index + script[0].indexOf(body) + call.index)}: ${text}`);
    }
  }
  // Markup: without scripts, styles, comments and expressions.
  const markup = withoutExpressions(
    source
      .replace(/<script[^>]*>[\s\S]*?<\/script>/g, blank)
      .replace(/<style[^>]*>[\s\S]*?<\/style>/g, blank)
      .replace(/<!--[\s\S]*?-->/g, blank)
      .replace(/<pre[^>]*>[\s\S]*?<\/pre>/g, blank)
      .replace(/<code[^>]*>[\s\S]*?<\/code>/g, blank),
  );
  const tag = /<("[^"]*"|'[^']*'|[^'">])*>/g;
  let last = 0;
  for (const match of markup.matchAll(tag)) {
    const text = decode(markup.slice(last, match.index));
    if (isLanguage(text)) found.push(`${lineOf(last + markup.slice(last).search(/\S/))}: ${text}`);
    for (const attribute of match[0].matchAll(/\s(placeholder|title|aria-label|alt|label)="([^"]*)"/g)) {
      const value = decode(attribute[2]!);
      // A placeholder of single tokens ("opus", "echo-*, gpt-5*") is an example value, not language.
      const example = attribute[1] === 'placeholder' && value.split(/,\s*/).every((part) => !/\s/.test(part));
      if (!example && isLanguage(value)) found.push(`${lineOf(match.index)}: ${attribute[1]}="${value}"`);
    }
    last = match.index + match[0].length;
  }
  return found;
}

describe('admin components: no user-visible string outside the message catalog', () => {
  const files = svelteFiles(SRC);

  it('finds the literals it is meant to find (the check is not vacuous)', () => {
    const sample = `<script>toast('Saved it'); handleError(error, "Could not save");</script>
<h1>Plain title</h1><p>{t('ok')} and more</p><input placeholder="e.g. laptop" aria-label={t('x')} />
<span>Switchyard</span><span>{'{'}</span><small>—</small><code>ANTHROPIC_BASE_URL</code>`;
    expect(literalsOf(sample).map((line) => line.replace(/^\d+: /, ''))).to.deep.equal([
      'Saved it',
      'Could not save',
      'Plain title',
      'and more',
      'placeholder="e.g. laptop"',
    ]);
  });

  for (const file of files) {
    const name = relative(SRC, file);
    it(name, () => {
      const literals = literalsOf(readFileSync(file, 'utf8'));
      expect(literals, `${name} shows text that is not from the catalog:\n${literals.join('\n')}`).to.deep.equal([]);
    });
  }
});
