/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Codex OAuth and Responses API-key records become openai-codex and openai-api accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import { openaiPlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the openai plugin',
  plugins: [openaiPlugin],
  accounts: [
    { source: 'openai', type: 'openai-codex' },
    { source: 'responses', type: 'openai-api' },
  ],
  claimedPrefixes: ['openai:account:*', 'openai_responses_account:*'],
  redisDb: 14,
});
