/**
 * Help texts from schemas mark code with backticks (`*`, `/v1`). They are split here into
 * plain and code parts, rendered as text and <code> by InlineText.svelte: never as HTML,
 * since plugin texts are not trusted markup.
 */

/** One run of a help text: plain text, or code written between backticks. */
export interface TextPart {
  text: string;
  code: boolean;
}

/**
 * Splits `text` at backtick pairs; a backtick without its partner stays as written.
 *
 * @example
 * inlineCode('`*` matches any run'); // [{ text: '*', code: true }, { text: ' matches any run', code: false }]
 */
export function inlineCode(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf('`');
    const close = open < 0 ? -1 : rest.indexOf('`', open + 1);
    if (open < 0 || close < 0) break;
    if (open > 0) parts.push({ text: rest.slice(0, open), code: false });
    if (close > open + 1) parts.push({ text: rest.slice(open + 1, close), code: true });
    rest = rest.slice(close + 1);
  }
  if (rest) parts.push({ text: rest, code: false });
  return parts;
}
