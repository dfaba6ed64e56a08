/**
 * Which request bodies are JSON, and parsing them. `JSON.parse` makes every key an own
 * property, `__proto__` included (a tool's JSON schema may legitimately have one), so
 * nothing reaches a prototype; that is why no key is refused.
 */
import { GatewayError } from '@switchyard/plugin-api';

/**
 * True for `application/json`, any `+json` type, and no content type at all (clients of
 * these APIs that omit it still send JSON).
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType === '') return true;
  const end = contentType.indexOf(';');
  const type = (end < 0 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
  return type === '' || type === 'application/json' || type.endsWith('+json');
}

const BOM = 0xfeff;

/** The first character that is not JSON whitespace, or -1. */
function firstSignificant(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return code;
  }
  return -1;
}

/** A parsed JSON body, and its bytes without a leading byte order mark. */
export interface ParsedJsonBody {
  value: unknown;
  bytes: Buffer;
}

/**
 * Parses a JSON request body. An empty body is `{}`; anything but an object or an array
 * at the top level is refused, as the APIs behind the gateway do.
 *
 * @throws GatewayError `invalid_json`.
 */
export function parseJsonBody(bytes: Buffer): ParsedJsonBody {
  if (bytes.length === 0) return { value: {}, bytes };
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === BOM) {
    text = text.slice(1);
    bytes = bytes.subarray(3);
  }
  const first = firstSignificant(text);
  if (first !== 0x7b && first !== 0x5b) throw new GatewayError('invalid_json', 'The request body is not valid JSON.');
  try {
    return { value: JSON.parse(text), bytes };
  } catch {
    throw new GatewayError('invalid_json', 'The request body is not valid JSON.');
  }
}
