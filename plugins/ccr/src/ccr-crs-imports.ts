/**
 * How claude-relay-service CCR accounts (`ccr_account:{id}`, salt `ccr-account-salt`)
 * become `ccr` accounts (`switchyard import crs`). The reference cannot bind a key to
 * one, so no key field points here.
 */
import type { AccountImport } from '@switchyard/plugin-api';

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** CCR (Claude Code Router) accounts. */
export const ccrCrsImport: AccountImport = {
  source: 'crs',
  keyPrefix: 'ccr_account:',
  salt: 'ccr-account-salt',
  weeklyCapModels: ['claude-*', '*opus*', '*sonnet*', '*haiku*'],
  map(record, decrypt) {
    const apiKey = decrypt(record.apiKey);
    if (!apiKey) return { skip: 'its API key cannot be decrypted (wrong --encryption-key?)' };
    const baseUrl = text(record.apiUrl)
      .trim()
      .replace(/\/+$/, '')
      .replace(/\/v1\/messages$/, '')
      .replace(/\/v1$/, '');
    if (!baseUrl) return { skip: 'it has no apiUrl' };
    return { credentials: { baseUrl, apiKey } };
  },
};
