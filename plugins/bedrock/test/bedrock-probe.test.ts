/**
 * The probe checks a bedrock account's credential without running a model: an empty
 * InvokeModel body that Bedrock refuses as invalid only after the signature passed.
 */
import { expect } from 'chai';
import {
  createTestHttpClient,
  silentLogger,
  createMemoryKv,
  type FakeUpstream,
  type TestHttpClient,
} from '@switchyard/core/testing';
import type { AccountView } from '@switchyard/plugin-api';
import { probeBedrock, type BedrockCredentials } from '../src/index.js';
import { FAKE_IAM, FAKE_REGION, startFakeBedrock, writeBedrockError } from './fake-bedrock.js';

describe('bedrock probe', function () {
  this.timeout(10_000);
  let fake: FakeUpstream;
  let http: TestHttpClient;
  beforeEach(async () => {
    fake = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, region: FAKE_REGION });
    http = createTestHttpClient();
  });
  afterEach(async () => {
    await http.close();
    await fake.close();
  });

  const probe = (credentials: Partial<BedrockCredentials> = {}) =>
    probeBedrock({
      credentials: { region: FAKE_REGION, ...FAKE_IAM, baseUrl: fake.url, ...credentials } as BedrockCredentials,
      account: {
        id: 'a',
        type: 'bedrock',
        name: 'a',
        priority: 50,
        groups: [],
        settings: { inferenceProfile: 'us' },
      } as unknown as AccountView,
      http,
      signal: AbortSignal.timeout(5_000),
      log: silentLogger,
      kv: createMemoryKv(),
    });

  it('reports working credentials when Bedrock refuses only the empty body', async () => {
    const result = await probe();
    expect(result).to.deep.include({ ok: true });
    expect(fake.requests[0]!.path).to.equal('/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/invoke');
    expect(fake.requests[0]!.response.status).to.equal(400);
  });

  it('reports a signature Bedrock refuses, without the secret', async () => {
    const result = await probe({ secretAccessKey: 'a-wrong-secret-access-key-0000000' });
    expect(result.ok).to.equal(false);
    expect(result.message).to.include('invalidsignature');
    expect(JSON.stringify(result)).not.to.include('a-wrong-secret');
  });

  it('names the model and region when the account has no access to it', async () => {
    fake.setHandler((_req, res) => writeBedrockError(res, 403, 'AccessDeniedException', "You don't have access to the model."));
    const result = await probe();
    expect(result.ok).to.equal(false);
    expect(result.message).to.include('us.anthropic.claude-haiku-4-5-20251001-v1:0').and.include(FAKE_REGION);
  });
});
