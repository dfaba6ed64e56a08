/**
 * A readable label for a schema field without a `title`: `apiKey` -> "API key",
 * `baseUrl` -> "Base URL", `maxTokens` -> "Max tokens". Plugins should give titles; this
 * keeps a field without one readable.
 */

const ACRONYMS = new Set([
  'api',
  'url',
  'id',
  'ip',
  'http',
  'https',
  'oauth',
  'aws',
  'iam',
  'sso',
  'ssl',
  'tls',
  'json',
  'uri',
  'usd',
  'utc',
]);

/** The label shown for a field named `name` whose schema has no title. */
export function fieldLabel(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim()
    .split(/\s+/)
    .map((word) => (ACRONYMS.has(word.toLowerCase()) ? word.toUpperCase().replace('OAUTH', 'OAuth') : word.toLowerCase()));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
