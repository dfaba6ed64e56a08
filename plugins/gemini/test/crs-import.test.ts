/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Gemini CLI OAuth and API-key records become gemini-oauth and gemini-api accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import { geminiPlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the gemini plugin',
  plugins: [geminiPlugin],
  accounts: [
    { source: 'gemini', type: 'gemini-oauth' },
    { source: 'geminiApi', type: 'gemini-api' },
  ],
  claimedPrefixes: ['gemini_account:*', 'gemini_api_account:*'],
  redisDb: 13,
});
