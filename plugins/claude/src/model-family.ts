/**
 * The family of a Claude model id (`opus`, `sonnet`, `haiku`, …), read from the id's
 * dash-separated words (`claude-3-5-sonnet-20241022`, `claude-opus-4-8`): an exact
 * word, never a substring.
 */

const FAMILIES: ReadonlySet<string> = new Set(['opus', 'sonnet', 'haiku', 'fable', 'mythos']);

/** The family of `model`, or undefined when it names none. */
export function modelFamily(model: string | undefined): string | undefined {
  if (!model) return undefined;
  return model
    .toLowerCase()
    .split('-')
    .find((word) => FAMILIES.has(word));
}
