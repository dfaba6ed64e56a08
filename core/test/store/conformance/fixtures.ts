/** Record builders and timing helpers for the store conformance suite. */
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../../../src/testing/manual-clock.js';
import type { UsageRecord } from '@switchyard/plugin-api';
import type { AccountRecord, KeyRecord, Store } from '../../../src/store/types.js';

/** Gives the running test its freshly opened store. */
export type StoreAccess = () => Store;

/**
 * Time as the running test's store sees it: a backend that takes the gateway's clock (the
 * embedded store) gets a fresh `ManualClock`, advanced by `pass`; one that keeps its TTLs
 * on a clock of its own (Redis: the server's) lets real time pass.
 */
export interface StoreTime {
  now(): number;
  pass(ms: number): Promise<void>;
}

/** Gives the running test its store's time. */
export type TimeAccess = () => StoreTime;

/** Real time, for a backend whose TTLs run on a clock of its own. */
export const realTime: StoreTime = { now: () => Date.now(), pass: (ms) => sleep(ms) };

/** A manual clock, for a backend that takes one. */
export function manualTime(clock = new ManualClock()): StoreTime & { clock: ManualClock } {
  return { clock, now: () => clock.now(), pass: (ms) => clock.advance(ms) };
}

export function keyRecord(id: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id,
    name: `key ${id}`,
    tags: ['team-a'],
    hash: `hash-${id}`,
    hint: `sy_${id}…`,
    enabled: true,
    limits: { rpm: 60, models: ['m-1'] },
    source: 'admin',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function accountRecord(id: string, overrides: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id,
    type: 'echo-basic',
    name: `account ${id}`,
    enabled: true,
    priority: 50,
    groups: ['g1'],
    credentials: 'v1:iv:ciphertext',
    settings: { region: 'x', nested: { list: [], empty: {} } },
    source: 'config',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A usage record at `atMs` (epoch ms) for `keyId`. */
export function usageRecord(id: string, atMs: number, keyId = 'k1', overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    id,
    at: new Date(atMs).toISOString(),
    keyId,
    accountId: 'a1',
    protocol: 'test-protocol',
    model: 'm-1',
    status: 200,
    stream: false,
    latencyMs: 120,
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 1,
      raw: { a: [1, 2] },
    },
    costMicros: 42,
    ...overrides,
  };
}

/** Short TTL used by expiry tests, and a wait that is safely past it. */
export const SHORT_TTL_MS = 300;
export const PAST_SHORT_TTL_MS = 450;

export function wait(ms: number): Promise<void> {
  return sleep(ms);
}

/** Asserts that `promise` rejects with an error named `name`; returns the error. */
export async function rejectsWith(promise: Promise<unknown>, name: string): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error && err.name === name) return err;
    throw new Error(`expected a ${name}, got ${String(err)}`, { cause: err });
  }
  throw new Error(`expected a ${name}, but it resolved`);
}
