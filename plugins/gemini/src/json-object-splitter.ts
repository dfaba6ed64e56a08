/**
 * Splits a streamed JSON array of objects (`[{...},\n{...}]`, how Gemini streams without
 * `?alt=sse`) into its top-level objects as bytes arrive. Strings and escapes are
 * respected; anything between objects (brackets, commas, whitespace) is skipped.
 */

/** An incremental splitter: `push` text, get back every object text completed by it. */
export interface JsonObjectSplitter {
  push(text: string): string[];
}

/** Creates a splitter. Depth is capped by the input; objects are returned as text. */
export function createJsonObjectSplitter(): JsonObjectSplitter {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let current = '';
  return {
    push(text) {
      const done: string[] = [];
      for (const char of text) {
        if (depth > 0) current += char;
        if (inString) {
          if (escaped) escaped = false;
          else if (char === '\\') escaped = true;
          else if (char === '"') inString = false;
          continue;
        }
        if (char === '"' && depth > 0) inString = true;
        else if (char === '{') {
          if (depth === 0) current = '{';
          depth += 1;
        } else if (char === '}' && depth > 0) {
          depth -= 1;
          if (depth === 0) {
            done.push(current);
            current = '';
          }
        }
      }
      return done;
    },
  };
}
