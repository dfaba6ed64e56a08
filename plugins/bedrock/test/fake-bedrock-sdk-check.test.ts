/**
 * The fake Bedrock is checked with the official `@anthropic-ai/bedrock-sdk` as its
 * client: the SDK's SigV4 signatures (with a session token) and its Bedrock API key are
 * accepted, a wrong secret is refused, the unary answer parses, and the SDK decodes the
 * fake's event-stream frames (and its exception frame) as it decodes Bedrock's. So the
 * gateway tests against this fake test against Bedrock's wire format.
 */
import AnthropicBedrock from '@anthropic-ai/bedrock-sdk';
import { expect } from 'chai';
import type { FakeUpstream } from '@switchyard/core/testing';
import {
  FAKE_API_KEY,
  FAKE_IAM,
  FAKE_REGION,
  anthropicEvents,
  chunkFrame,
  exceptionFrame,
  startFakeBedrock,
  writeEventStream,
} from './fake-bedrock.js';
import { authorizedHeaders } from '../src/index.js';

const SESSION_TOKEN = 'fake-session-token-for-the-sdk-check-0042';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const params = { model: MODEL, max_tokens: 32, messages: [{ role: 'user' as const, content: 'hi' }] };

describe('the fake Bedrock, checked with @anthropic-ai/bedrock-sdk', function () {
  this.timeout(20_000);
  let fake: FakeUpstream;
  afterEach(async () => {
    await fake?.close();
  });

  const iamClient = (secret: string = FAKE_IAM.secretAccessKey) =>
    new AnthropicBedrock({
      awsRegion: FAKE_REGION,
      awsAccessKey: FAKE_IAM.accessKeyId,
      awsSecretKey: secret,
      awsSessionToken: SESSION_TOKEN,
      apiKey: null,
      baseURL: fake.url,
      maxRetries: 0,
    });

  it("accepts the SDK's SigV4 signature and answers a unary call it parses", async () => {
    fake = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, sessionToken: SESSION_TOKEN, region: FAKE_REGION });
    const message = await iamClient().messages.create(params);
    expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Bedrock runtime.' });
    expect(message.usage).to.include({ input_tokens: 25, output_tokens: 14 });
    // The SDK leaves the colon as it is; the fake recomputes the signature over the path as received.
    expect(fake.requests[0]!.path).to.equal('/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke');
    expect(fake.requests[0]!.headers['x-amz-security-token']).to.equal(SESSION_TOKEN);
  });

  it('refuses a signature made with another secret', async () => {
    fake = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, sessionToken: SESSION_TOKEN, region: FAKE_REGION });
    let failure: unknown;
    try {
      await iamClient('not-the-secret-access-key-at-all-1234').messages.create(params);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.have.property('status', 403);
    expect(fake.requests[0]!.response.headers()['x-amzn-errortype']).to.match(/^InvalidSignatureException/);
  });

  it('refuses a body that is not the one whose hash was signed', async () => {
    fake = await startFakeBedrock({ kind: 'iam', ...FAKE_IAM, region: FAKE_REGION });
    const url = `${fake.url}/model/${encodeURIComponent(MODEL)}/invoke`;
    const { model: _model, ...rest } = params;
    const signedBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', ...rest });
    const credentials = { region: FAKE_REGION, ...FAKE_IAM };
    const headers = await authorizedHeaders(credentials, url, signedBody, 'application/json');
    const sent = await fetch(url, { method: 'POST', headers, body: signedBody });
    expect(sent.status).to.equal(200);
    const other = await fetch(url, { method: 'POST', headers, body: signedBody.replace('"hi"', '"ho"') });
    expect(other.status).to.equal(403);
  });

  it("accepts the SDK's Bedrock API key and streams event-stream frames the SDK decodes", async () => {
    fake = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
    const client = new AnthropicBedrock({ awsRegion: FAKE_REGION, apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
    const seen: string[] = [];
    const stream = client.messages.stream(params);
    stream.on('streamEvent', (event) => seen.push(event.type));
    const message = await stream.finalMessage();
    expect(message.content[0]).to.deep.include({ type: 'text', text: 'Hello from the fake Bedrock runtime.' });
    expect(message.usage.output_tokens).to.equal(14);
    expect(seen).to.deep.equal(anthropicEvents().map((event) => event.type));
    expect(fake.requests[0]!.path).to.match(/\/invoke-with-response-stream$/);
    expect(fake.requests[0]!.json()).to.have.property('anthropic_version').that.is.a('string');
  });

  it('sends an exception frame the SDK reports as an error', async () => {
    fake = await startFakeBedrock({ kind: 'apiKey', apiKey: FAKE_API_KEY });
    fake.setHandler((_req, res) =>
      writeEventStream(res, [
        chunkFrame(anthropicEvents()[0]),
        exceptionFrame('throttlingException', 'Too many tokens, slow down.'),
      ]),
    );
    const client = new AnthropicBedrock({ awsRegion: FAKE_REGION, apiKey: FAKE_API_KEY, baseURL: fake.url, maxRetries: 0 });
    let failure: unknown;
    try {
      await client.messages.stream(params).finalMessage();
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('Too many tokens, slow down.');
  });
});
