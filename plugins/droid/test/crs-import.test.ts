/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Droid API-key records become droid accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import claudePlugin from '@switchyard/plugin-claude';
import openaiPlugin from '@switchyard/plugin-openai';
import { droidPlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the droid plugin',
  plugins: [claudePlugin, openaiPlugin, droidPlugin],
  accounts: [{ source: 'droid', type: 'droid', settings: { endpoints: ['anthropic'] } }],
  claimedPrefixes: ['droid:account:*'],
  redisDb: 10,
});
