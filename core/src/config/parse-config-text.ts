/**
 * Parses a config file's text: JSON, or YAML for `.yaml`/`.yml` files. Syntax errors
 * come back as problems naming the file, line and column.
 */
import { extname } from 'node:path';

/** The result of {@link parseConfigText}: the document, or the syntax problems. */
export type ParsedConfigText = { ok: true; document: unknown } | { ok: false; problems: string[] };

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function parseJson(text: string, name: string): ParsedConfigText {
  try {
    return { ok: true, document: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const explicit = /\(line (\d+) column (\d+)\)/.exec(message);
    let where: { line: number; column: number };
    if (explicit) where = { line: Number(explicit[1]), column: Number(explicit[2]) };
    else if (position) where = lineColumn(text, Number(position[1]));
    else where = lineColumn(text, text.length);
    const reason = message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '');
    return { ok: false, problems: [`${name}:${where.line}:${where.column}: invalid JSON (line ${where.line}): ${reason}`] };
  }
}

/** yaml (about 0.8 MB of heap) is loaded for a YAML file only: a JSON config never needs it. */
async function parseYaml(text: string, name: string): Promise<ParsedConfigText> {
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => {
        const fallback = lineColumn(text, error.pos[0]);
        const line = error.linePos?.[0].line ?? fallback.line;
        const column = error.linePos?.[0].col ?? fallback.column;
        const reason = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
        return `${name}:${line}:${column}: invalid YAML (line ${line}): ${reason}`;
      }),
    };
  }
  return { ok: true, document: document.toJS() ?? {} };
}

/**
 * Parses `text`, read from `file`: YAML when the name ends in `.yaml` or `.yml`, JSON
 * otherwise. An empty YAML file is `{}`.
 */
export async function parseConfigText(text: string, file: string): Promise<ParsedConfigText> {
  const extension = extname(file).toLowerCase();
  return extension === '.yaml' || extension === '.yml' ? parseYaml(text, file) : parseJson(text, file);
}
