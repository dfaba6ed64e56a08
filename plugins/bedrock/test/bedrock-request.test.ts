/**
 * What a bedrock account sends: the Bedrock model id (table, inference profile,
 * mapping), the URL with the id as one encoded segment, and the InvokeModel body (the
 * client's fields minus model and stream, anthropic_version, the beta header's values).
 */
import { expect } from 'chai';
import type { AccountView } from '@switchyard/plugin-api';
import {
  BEDROCK_MODEL_CATALOG,
  BEDROCK_MODEL_IDS,
  bedrockBody,
  bedrockModelId,
  bedrockUrl,
  countTokensModelId,
} from '../src/index.js';

function account(settings: Record<string, unknown> = {}): AccountView {
  return { id: 'a1', type: 'bedrock', name: 'bedrock-a', priority: 50, groups: [], settings } as unknown as AccountView;
}

describe('bedrock requests', () => {
  describe('bedrockModelId', () => {
    it('maps Anthropic ids and aliases through the table', () => {
      expect(bedrockModelId('claude-sonnet-4-5-20250929', account())).to.equal('anthropic.claude-sonnet-4-5-20250929-v1:0');
      expect(bedrockModelId('claude-haiku-4-5', account())).to.equal('anthropic.claude-haiku-4-5-20251001-v1:0');
      expect(bedrockModelId('claude-3-5-sonnet-20241022', account())).to.equal('anthropic.claude-3-5-sonnet-20241022-v2:0');
      expect(bedrockModelId('claude-opus-4-6', account({ inferenceProfile: 'global' }))).to.equal(
        'global.anthropic.claude-opus-4-6-v1',
      );
    });

    for (const profile of ['us', 'eu', 'apac', 'global'] as const) {
      it(`prefixes the ${profile}. inference profile`, () => {
        expect(bedrockModelId('claude-opus-4-5', account({ inferenceProfile: profile }))).to.equal(
          `${profile}.anthropic.claude-opus-4-5-20251101-v1:0`,
        );
      });
    }

    it('uses no prefix for none', () => {
      expect(bedrockModelId('claude-opus-4-5', account({ inferenceProfile: 'none' }))).to.equal(
        'anthropic.claude-opus-4-5-20251101-v1:0',
      );
    });

    it('sends a mapped id as written, before the table and without the profile', () => {
      const view = account({
        inferenceProfile: 'eu',
        modelMapping: {
          'claude-sonnet-4-6': 'eu.anthropic.claude-sonnet-4-6',
          'claude-sonnet-4-5': 'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123',
        },
      });
      expect(bedrockModelId('claude-sonnet-4-6', view)).to.equal('eu.anthropic.claude-sonnet-4-6');
      expect(bedrockModelId('claude-sonnet-4-5', view)).to.equal(
        'arn:aws:bedrock:eu-west-1:123456789012:application-inference-profile/abc123',
      );
      expect(bedrockModelId('claude-haiku-4-5', view)).to.equal('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    });

    it('knows nothing of a model neither the table nor the mapping names', () => {
      expect(bedrockModelId('claude-opus-9', account())).to.equal(undefined);
      expect(bedrockModelId(undefined, account())).to.equal(undefined);
    });

    it("knows no id from an object's inherited keys, and ignores a mapping entry that is not a string", () => {
      const view = account({ modelMapping: { 'claude-sonnet-4-5': 42 } });
      for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
        expect(bedrockModelId(name, view), name).to.equal(undefined);
      expect(bedrockModelId('claude-sonnet-4-5', view)).to.equal('anthropic.claude-sonnet-4-5-20250929-v1:0');
    });

    it("catalogs exactly the table's Anthropic ids", () => {
      expect(BEDROCK_MODEL_CATALOG.defaults).to.deep.equal(Object.keys(BEDROCK_MODEL_IDS));
      for (const id of Object.keys(BEDROCK_MODEL_IDS)) expect(id).to.match(/^claude-/);
      for (const id of Object.values(BEDROCK_MODEL_IDS)) expect(id).to.match(/^anthropic\.claude-[a-z0-9-]+(-v\d(:0)?)?$/);
    });
  });

  describe('countTokensModelId', () => {
    it('drops an inference-profile prefix, keeps bare ids and ARNs', () => {
      for (const prefix of ['us.', 'eu.', 'apac.', 'global.', 'us-gov.']) {
        expect(countTokensModelId(`${prefix}anthropic.claude-haiku-4-5-20251001-v1:0`)).to.equal(
          'anthropic.claude-haiku-4-5-20251001-v1:0',
        );
      }
      expect(countTokensModelId('anthropic.claude-opus-4-6-v1')).to.equal('anthropic.claude-opus-4-6-v1');
      const arn = 'arn:aws:bedrock:us-east-1:1:inference-profile/us.anthropic.claude-x';
      expect(countTokensModelId(arn)).to.equal(arn);
    });
  });

  describe('bedrockUrl', () => {
    it('encodes the model id as one path segment', () => {
      expect(bedrockUrl('https://bedrock-runtime.us-east-1.amazonaws.com', 'us.anthropic.claude-x-v1:0', 'invoke')).to.equal(
        'https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-x-v1%3A0/invoke',
      );
      expect(
        bedrockUrl('http://vpce/prefix', 'arn:aws:bedrock:us-east-1:1:inference-profile/p', 'invoke-with-response-stream'),
      ).to.equal(
        'http://vpce/prefix/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A1%3Ainference-profile%2Fp/invoke-with-response-stream',
      );
    });
  });

  describe('bedrockBody', () => {
    it('drops model and stream, adds anthropic_version, keeps every other field as the client wrote it', () => {
      const client = {
        model: 'claude-sonnet-4-5',
        stream: true,
        max_tokens: 10,
        system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral', ttl: '1h' } }],
        messages: [{ role: 'user', content: 'hi' }],
        thinking: { type: 'enabled', budget_tokens: 1024 },
        tools: [{ name: 't', input_schema: { type: 'object' } }],
        some_future_field: { nested: [1, 2] },
      };
      const { model: _model, stream: _stream, ...rest } = client;
      expect(JSON.parse(bedrockBody(client, undefined))).to.deep.equal({ anthropic_version: 'bedrock-2023-05-31', ...rest });
    });

    it("moves the anthropic-beta header's values into anthropic_beta, joined with the body's own", () => {
      const body = bedrockBody({ messages: [], anthropic_beta: ['a-1'] }, ' b-2 ,c-3,, a-1');
      expect(JSON.parse(body)).to.deep.equal({
        anthropic_version: 'bedrock-2023-05-31',
        messages: [],
        anthropic_beta: ['a-1', 'b-2', 'c-3'],
      });
      expect(JSON.parse(bedrockBody({ messages: [] }, undefined))).not.to.have.property('anthropic_beta');
    });

    it("keeps a client's own anthropic_version and an own __proto__ key", () => {
      const parsed = JSON.parse(
        '{"model":"m","anthropic_version":"bedrock-2099-01-01","tools":[],"__proto__":{"x":1}}',
      ) as unknown;
      const body = bedrockBody(parsed, undefined);
      expect(body).to.include('"__proto__":{"x":1}');
      expect(JSON.parse(body)).to.have.property('anthropic_version', 'bedrock-2099-01-01');
    });
  });
});
