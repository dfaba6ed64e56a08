/**
 * Undoes a request's `Content-Encoding` (gzip, deflate, br), so plugins, policies and
 * upstreams all see the same plain bytes. The decoded size is bounded by the body limit;
 * data that does not decode is the client's error (400), never the gateway's (500).
 */
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { GatewayError } from '@switchyard/plugin-api';

type Decoder = (input: Buffer, options: ZlibOptions) => Promise<Buffer>;

const gunzipAsync = promisify(gunzip) as Decoder;
const inflateAsync = promisify(inflate) as Decoder;
const inflateRawAsync = promisify(inflateRaw) as Decoder;
const brotliAsync = promisify(brotliDecompress) as Decoder;

/** `deflate` is zlib-wrapped by the standard, but some clients send raw deflate data. */
const inflateEither: Decoder = (input, options) =>
  inflateAsync(input, options).catch((error: unknown) => {
    if ((error as { code?: string }).code !== 'Z_DATA_ERROR') throw error;
    return inflateRawAsync(input, options);
  });

const DECODERS: Readonly<Record<string, Decoder>> = {
  gzip: gunzipAsync,
  'x-gzip': gunzipAsync,
  deflate: inflateEither,
  br: brotliAsync,
};

/** The codings `header` lists, in the order they were applied, without `identity`. */
function codings(header: string): string[] {
  const list: string[] = [];
  for (const part of header.split(',')) {
    const coding = part.trim().toLowerCase();
    if (coding !== '' && coding !== 'identity') list.push(coding);
  }
  return list;
}

/**
 * The body with every coding of `contentEncoding` undone (last applied, first undone),
 * or `undefined` when there was nothing to undo.
 *
 * @throws GatewayError `invalid_request` for an unknown coding or data that does not decode;
 *   `payload_too_large` when the decoded body would exceed `limitBytes`.
 */
export async function decodeContentEncoding(
  body: Buffer,
  contentEncoding: string | undefined,
  limitBytes: number,
): Promise<Buffer | undefined> {
  if (contentEncoding === undefined) return undefined;
  const applied = codings(contentEncoding);
  if (applied.length === 0) return undefined;
  let bytes = body;
  for (const coding of applied.reverse()) {
    const decode = DECODERS[coding];
    if (!decode) {
      throw new GatewayError(
        'invalid_request',
        `Content-Encoding "${coding.slice(0, 40)}" is not supported; send gzip, deflate, br or identity.`,
      );
    }
    try {
      bytes = await decode(bytes, { maxOutputLength: Math.max(1, limitBytes) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new GatewayError('payload_too_large', 'The request body is larger than this gateway accepts.');
      }
      throw new GatewayError('invalid_request', `The request body is not valid ${coding} data (Content-Encoding: ${coding}).`, {
        cause: error,
      });
    }
  }
  return bytes;
}
