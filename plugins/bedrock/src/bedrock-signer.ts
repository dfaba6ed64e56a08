/**
 * The SigV4 signer of a bedrock account (`@smithy/signature-v4`, service `bedrock`), one
 * per credential and reused, set up for the relay's hot path (every request is signed):
 *
 * - hashing with Node's own SHA-256, the data of one digest hashed in one native call
 *   (the one-shot `crypto.hash`: no Hash object per digest);
 * - the HMAC the signer computes on every request to name its signing-key cache entry
 *   (over the access key id, keyed by the secret key: the same on every call) kept;
 * - the `x-amz-date` text made once per second instead of once per request.
 *
 * What is signed, and how, is the library's own (`SignatureV4.sign`); only these
 * primitives are supplied or overridden.
 */
import { createHmac, hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { BedrockCredentials } from './bedrock-credentials.js';

/** The SigV4 service name of the Bedrock runtime. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

type SignerOptions = ConstructorParameters<typeof SignatureV4>[0];
type ChecksumConstructor = SignerOptions['sha256'];
type SecretData = string | ArrayBuffer | ArrayBufferView;
type DateInput = Parameters<SignatureV4['sign']> extends [unknown, { signingDate?: infer D }?] ? D : never;

function asBytes(data: SecretData): Buffer | string {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The last HMAC over short data keyed by each string secret (the secret key's HMAC of the access key id). */
const knownHmacs = new Map<string, { data: Buffer; digest: Buffer }>();
const MAX_KNOWN_HMACS = 256;
/** Data this short is worth remembering: access key ids are 16 to 128 characters. */
const MAX_KNOWN_DATA = 128;

/**
 * SHA-256, or HMAC-SHA-256 when given a secret, as the signer takes it (`new
 * Sha256(secret?)`, `update`, `digest`): the pieces are hashed together at `digest`.
 */
class NodeSha256 {
  private readonly pieces: Uint8Array[] = [];

  constructor(private readonly secret?: SecretData) {}

  update(data: Uint8Array): void {
    this.pieces.push(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.digestNow());
  }

  reset(): void {
    this.pieces.length = 0;
  }

  private digestNow(): Buffer {
    const data = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    const secret = this.secret;
    if (secret === undefined) return hash('sha256', data, 'buffer');
    if (typeof secret !== 'string' || data.byteLength > MAX_KNOWN_DATA) {
      return createHmac('sha256', asBytes(secret)).update(data).digest();
    }
    const known = knownHmacs.get(secret);
    if (known !== undefined && Buffer.compare(known.data, data) === 0) return known.digest;
    const digest = createHmac('sha256', secret).update(data).digest();
    if (knownHmacs.size >= MAX_KNOWN_HMACS) knownHmacs.clear();
    knownHmacs.set(secret, { data: Buffer.from(data), digest });
    return digest;
  }
}

/** A SignatureV4 that formats the signing date once per second (the `x-amz-date` text has a resolution of one second). */
class BedrockSignatureV4 extends SignatureV4 {
  private lastSecond = Number.NaN;
  private lastDate: { longDate: string; shortDate: string } = { longDate: '', shortDate: '' };

  protected override formatDate(now: NonNullable<DateInput>): { longDate: string; shortDate: string } {
    if (!(now instanceof Date)) return super.formatDate(now);
    const second = Math.floor(now.getTime() / 1000);
    if (second !== this.lastSecond) {
      this.lastDate = super.formatDate(now);
      this.lastSecond = second;
    }
    return this.lastDate;
  }
}

/** Signers by credential: a signer keeps its derived signing key for the day, so it is reused. */
const signers = new Map<string, SignatureV4>();
const MAX_SIGNERS = 256;

/** The signer of an IAM credential (region, access key, secret key, session token), made once and reused. */
export function signerFor(credentials: BedrockCredentials): SignatureV4 {
  const id = `${credentials.region}\u0000${credentials.accessKeyId ?? ''}\u0000${credentials.secretAccessKey ?? ''}\u0000${credentials.sessionToken ?? ''}`;
  let signer = signers.get(id);
  if (signer === undefined) {
    if (signers.size >= MAX_SIGNERS) signers.clear();
    signer = new BedrockSignatureV4({
      service: BEDROCK_SIGNING_SERVICE,
      region: credentials.region,
      sha256: NodeSha256 as unknown as ChecksumConstructor,
      credentials: {
        accessKeyId: credentials.accessKeyId ?? '',
        secretAccessKey: credentials.secretAccessKey ?? '',
        ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
      },
    });
    signers.set(id, signer);
  }
  return signer;
}

/** The hex SHA-256 of a request body (`x-amz-content-sha256`, which the signer would otherwise compute through its own wrappers). */
export function payloadHash(body: string): string {
  return hash('sha256', body, 'hex');
}
