/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's Bedrock records (a JSON string with an {encrypted, iv} credential object) become bedrock accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { bedrockPlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the bedrock plugin',
  plugins: [claudePlugin, bedrockPlugin],
  accounts: [{ source: 'bedrock', type: 'bedrock' }],
  claimedPrefixes: ['bedrock_account:*'],
  redisDb: 8,
});
