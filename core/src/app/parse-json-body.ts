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

/** The first character that is not JSON whitespace, or -1. */
function firstSignificant(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) return code;
  }
  return -1;
}

/** True when `bytes` start with the UTF-8 byte order mark (EF BB BF). */
function startsWithByteOrderMark(bytes: Buffer): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * Parses a JSON request body from its bytes. An empty body is `{}`; anything but an
 * object or an array at the top level is refused, as the APIs behind the gateway do.
 *
 * Only the parsed value comes from here: the bytes are not changed, and the gateway
 * forwards them as received (see `InboundRequest.rawBody`). So that parsing is as
 * lenient as forwarding:
 * - a leading byte order mark is skipped for parsing (RFC 8259 section 8.1 lets a parser
 *   ignore it) and stays in the bytes;
 * - the bytes are decoded as UTF-8 the WHATWG way: a byte sequence that is not UTF-8
 *   becomes U+FFFD in the parsed strings (the upstream still gets the original bytes and
 *   decides about them);
 * - an escaped lone surrogate (`"\ud800"`) stays a lone UTF-16 code unit in the parsed
 *   string (`JSON.stringify` writes it back escaped).
 *
 * @throws GatewayError `invalid_json`.
 */
export function parseJsonBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return {};
  const text = bytes.toString('utf8', startsWithByteOrderMark(bytes) ? 3 : 0);
  const first = firstSignificant(text);
  if (first !== 0x7b && first !== 0x5b) throw new GatewayError('invalid_json', 'The request body is not valid JSON.');
  try {
    return JSON.parse(text);
  } catch {
    throw new GatewayError('invalid_json', 'The request body is not valid JSON.');
  }
}
