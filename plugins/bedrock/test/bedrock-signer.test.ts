/**
 * The bedrock signer (Node's SHA-256, the per-request HMAC of the access key id kept,
 * the date text made once per second) signs exactly as a plain `SignatureV4` does.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { expect } from 'chai';
import { signerFor } from '../src/bedrock-signer.js';

const REGION = 'eu-west-3';
const HOST = `bedrock-runtime.${REGION}.amazonaws.com`;

function request(body: string) {
  return {
    method: 'POST',
    protocol: 'https:',
    hostname: HOST,
    path: '/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke',
    query: {},
    headers: { host: HOST, 'content-type': 'application/json', accept: 'application/json' },
    body,
  };
}

describe('bedrock signer', () => {
  const credentialSets = [
    { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    // The same secret with another key id.
    { accessKeyId: 'AKIAIOSFODNN7OTHERID', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    {
      accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'another-secret-access-key-0123456789',
      sessionToken: 'FQoGZXIvYXdzEJr//////////wEaDOEXAMPLETOKEN',
    },
  ];
  // Two signings in one second, the next second, and the next day.
  const dates = ['2026-12-07T23:59:59.100Z', '2026-12-07T23:59:59.900Z', '2026-12-08T00:00:00.000Z', '2026-12-08T00:00:00.999Z'];

  it('signs as a plain SignatureV4 does, for every credential, body and date', async () => {
    for (const credentials of credentialSets) {
      const reference = new SignatureV4({ service: 'bedrock', region: REGION, sha256: Sha256, credentials });
      const signer = signerFor({ region: REGION, ...credentials });
      for (const [i, date] of dates.entries()) {
        const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', n: i, text: 'héllo' });
        const expected = await reference.sign(request(body), { signingDate: new Date(date) });
        const signed = await signer.sign(request(body), { signingDate: new Date(date) });
        expect(signed.headers, `${credentials.accessKeyId} at ${date}`).to.deep.equal(expected.headers);
      }
    }
  });

  it('reuses one signer per credential', () => {
    const credentials = { region: REGION, ...credentialSets[0]! };
    expect(signerFor(credentials)).to.equal(signerFor({ ...credentials }));
    expect(signerFor(credentials)).not.to.equal(signerFor({ ...credentials, region: 'us-east-1' }));
  });
});
