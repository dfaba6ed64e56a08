/**
 * `switchyard import crs` with this plugin: the claude-relay-service fixture
 * (core/test/fixtures/crs, made with the reference's encryption) in a real Redis, imported
 * into a gateway; the reference's CCR records become ccr accounts (decrypted and
 * valid for the type's schema), and a second import changes nothing.
 */
import { describeCrsImport } from '@switchyard/core/testing';
import { claudePlugin } from '@switchyard/plugin-claude';
import { ccrPlugin } from '../src/index.js';

describeCrsImport({
  name: 'import crs into a gateway with the ccr plugin',
  plugins: [claudePlugin, ccrPlugin],
  accounts: [{ source: 'ccr', type: 'ccr' }],
  claimedPrefixes: ['ccr_account:*'],
  redisDb: 15,
});
