/**
 * Card codes: `SYC-XXXX-XXXX-XXXX-XXXX`, 16 characters from an alphabet without look-alikes
 * (no 0/O, 1/I/L), about 79 random bits. A code is a secret like a key: only its HMAC is
 * stored, under a prefix of its own so that it can never match a key's hash.
 */
import { randomInt, type KeyObject } from 'node:crypto';
import { hashKey } from '../keys/key-material.js';

/** The characters of a code (31: digits 2-9 and letters without I, L, O). */
export const CARD_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const PREFIX = 'SYC';
const GROUPS = 4;
const GROUP_LENGTH = 4;
const BODY = new RegExp(`^${PREFIX}([${CARD_ALPHABET}]{${GROUPS * GROUP_LENGTH}})$`);

/**
 * A new random card code.
 *
 * @example
 * generateCardCode(); // 'SYC-7KQP-M2XD-9HRT-4WNB'
 */
export function generateCardCode(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += CARD_ALPHABET[randomInt(CARD_ALPHABET.length)];
    groups.push(group);
  }
  return `${PREFIX}-${groups.join('-')}`;
}

/**
 * The canonical form of a code as a person typed or pasted it (any case, with or without
 * dashes, spaces or underscores), or undefined when it cannot be a card code.
 *
 * @example
 * normalizeCardCode(' syc-7kqp m2xd-9hrt-4wnb '); // 'SYC7KQPM2XD9HRT4WNB'
 */
export function normalizeCardCode(input: string): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const compact = input.toUpperCase().replace(/[\s_-]/g, '');
  return BODY.test(compact) ? compact : undefined;
}

/** The stored form of a normalised code: HMAC-SHA256 with the key-hash secret, domain `card:`. */
export function hashCardCode(keyHashKey: Buffer | KeyObject, normalized: string): string {
  return hashKey(keyHashKey, `card:${normalized}`);
}

/** A safe display form of a code: its last group, e.g. `SYC-…-4WNB`. */
export function cardHint(code: string): string {
  const normalized = normalizeCardCode(code) ?? '';
  return `${PREFIX}-…-${normalized.slice(-GROUP_LENGTH)}`;
}
