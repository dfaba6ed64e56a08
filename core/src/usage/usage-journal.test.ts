import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Logger, UsageRecord, UsageSink } from '@switchyard/plugin-api';
import { configSchema } from '../config/schema.js';
import { createEmbeddedStore } from '../store/embedded/create-embedded-store.js';
import type { Store, UsageRepository } from '../store/types.js';
import { openJournal, usageJournalFolder } from './start-usage.js';
import { UsageJournal } from './usage-journal.js';
import { UsageRecorder } from './usage-recorder.js';

const AT = Date.parse('2025-05-01T10:00:00.000Z');

function record(id: string, offsetMs = 0): UsageRecord {
  return {
    id,
    at: new Date(AT + offsetMs).toISOString(),
    keyId: 'k1',
    protocol: 'p',
    status: 200,
    stream: false,
    latencyMs: 5,
    usage: { inputTokens: 1, outputTokens: 2, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, cacheReadTokens: 0 },
    costMicros: 3,
  };
}

function captureLog(): { log: Logger; lines: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = {
    debug: (message, fields) => void lines.push({ level: 'debug', message, ...(fields ? { fields } : {}) }),
    info: (message, fields) => void lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => void lines.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => void lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
    child: () => log,
  };
  return { log, lines };
}

/** Resolves once every record queued so far is in the journal. */
const journaled = (recorder: UsageRecorder): Promise<void> => new Promise((resolve) => recorder.whenJournaled(resolve));

/** Ids of the records in the journal's segments, in order. */
const journaledIds = (dir: string): string[] =>
  segments(dir).flatMap((name) =>
    readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => (JSON.parse(line) as UsageRecord).id),
  );

const segments = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.startsWith('usage-journal-'))
    .sort();

describe('usage journal', () => {
  let dir: string;
  let store: Store;
  let sunk: string[];
  const sink: UsageSink = { name: 'counting', write: async (records) => void sunk.push(...records.map((r) => r.id)) };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-journal-'));
    store = await createEmbeddedStore({ path: ':memory:' });
    sunk = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('journals the records of one turn of the event loop in one write, holds what waits for them until then, and deletes the segment once their batch is stored', async () => {
    const { log } = captureLog();
    const recorder = new UsageRecorder({
      repository: store.usage,
      enrichers: [],
      sinks: [],
      log,
      flushIntervalMs: 60_000,
      journal: UsageJournal.open(dir, log),
    });
    recorder.record(record('a'));
    recorder.record(record('b'));
    const seenWhenReleased: string[][] = [];
    recorder.whenJournaled(() => seenWhenReleased.push(journaledIds(dir)));
    expect(seenWhenReleased, 'held until the write').to.deep.equal([]);
    await journaled(recorder);
    expect(seenWhenReleased).to.deep.equal([['a', 'b']]);
    expect(segments(dir)).to.deep.equal(['usage-journal-1.jsonl']);
    await recorder.flush();
    expect(await store.usage.count()).to.equal(2);
    expect(segments(dir)).to.deep.equal([]);
  });

  it('replays what a crash left once: skips a torn last line, stores the missing records, sends only those to the sinks', async () => {
    const line = (r: UsageRecord) => `${JSON.stringify(r)}\n`;
    // Segment 3: two records and a line the disk filled up in the middle of.
    writeFileSync(
      join(dir, 'usage-journal-3.jsonl'),
      line(record('r1')) + line(record('r2', 1)) + line(record('r3', 2)).slice(0, 40),
    );
    // Segment 4: one record the store already has (the crash came after its batch was stored).
    writeFileSync(join(dir, 'usage-journal-4.jsonl'), line(record('r4', 3)) + 'not json\n');
    await store.usage.append([record('r4', 3)]);

    const { log, lines } = captureLog();
    const recorder = new UsageRecorder({
      repository: store.usage,
      enrichers: [],
      sinks: [sink],
      log,
      journal: UsageJournal.open(dir, log),
    });
    expect(await recorder.recoverJournal()).to.equal(2);
    expect((await store.usage.list()).map((r) => r.id).sort()).to.deep.equal(['r1', 'r2', 'r4']);
    expect(sunk.sort()).to.deep.equal(['r1', 'r2']);
    expect(segments(dir)).to.deep.equal([]);
    expect(lines.find((l) => l.message === 'usage journal replayed')?.fields).to.include({ recovered: 2, skippedLines: 2 });

    // New records go to a segment after the old ones, and a second replay finds nothing.
    recorder.record(record('n1', 10));
    await journaled(recorder);
    expect(segments(dir)).to.deep.equal(['usage-journal-5.jsonl']);
    await recorder.flush();
    expect(
      await new UsageRecorder({
        repository: store.usage,
        enrichers: [],
        sinks: [],
        log,
        journal: UsageJournal.open(dir, log),
      }).recoverJournal(),
    ).to.equal(0);
  });

  it('keeps the segments while the store fails and deletes them once it stores again', async () => {
    const { log } = captureLog();
    let down = true;
    const flaky: UsageRepository = {
      append: (records) => (down ? Promise.reject(new Error('store down')) : store.usage.append(records)),
      storedIds: (ids) => store.usage.storedIds(ids),
      list: (query) => store.usage.list(query),
      count: (query) => store.usage.count(query),
    };
    const recorder = new UsageRecorder({
      repository: flaky,
      enrichers: [],
      sinks: [],
      log,
      flushIntervalMs: 60_000,
      journal: UsageJournal.open(dir, log),
    });
    recorder.record(record('a'));
    await recorder.flush();
    recorder.record(record('b'));
    await recorder.flush();
    expect(segments(dir).length).to.be.greaterThan(0);
    // A process dying now would replay both.
    const replayedIds: string[] = [];
    for (const leftover of UsageJournal.open(dir, log).readLeftovers()) replayedIds.push(...leftover.records.map((r) => r.id));
    expect(replayedIds.sort()).to.deep.equal(['a', 'b']);
    down = false;
    await recorder.flush();
    expect(await store.usage.count()).to.equal(2);
    await recorder.flush(); // the segment that was still open is cut and committed
    expect(segments(dir)).to.deep.equal([]);
  });

  it('never fails a record when the disk is full: logs it once, keeps the record in memory, and says when writes work again', async () => {
    const { log, lines } = captureLog();
    const journal = UsageJournal.open(dir, log);
    // The first segment is /dev/full: every write fails with ENOSPC, as on a full disk.
    symlinkSync('/dev/full', join(dir, 'usage-journal-1.jsonl'));
    const recorder = new UsageRecorder({
      repository: store.usage,
      enrichers: [],
      sinks: [],
      log,
      flushIntervalMs: 60_000,
      journal,
    });
    for (let i = 0; i < 5; i++) recorder.record(record(`full-${i}`, i));
    await journaled(recorder);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors.map((l) => l.message)).to.deep.equal([
      'usage journal: a write failed (disk full?); records are kept in memory only until stored',
    ]);
    expect(String((errors[0]!.fields!['error'] as NodeJS.ErrnoException).code)).to.equal('ENOSPC');
    await recorder.flush();
    expect(await store.usage.count()).to.equal(5);
    recorder.record(record('after', 10));
    await journaled(recorder);
    expect(lines.some((l) => l.message === 'usage journal: writes work again')).to.equal(true);
    expect(segments(dir)).to.include('usage-journal-2.jsonl');
  });

  it('is kept in usage.journalPath, the embedded data folder, or data/journal-<port> with Redis; not at all for :memory:, false or a random port', () => {
    const folder = (input: unknown) => usageJournalFolder(configSchema.parse(input), '/etc/switchyard')?.path;
    const redis = { type: 'redis', url: 'redis://127.0.0.1:6379' };
    expect(folder({ store: { type: 'embedded', path: './data' } })).to.equal('/etc/switchyard/data');
    expect(folder({})).to.equal('/etc/switchyard/data');
    expect(folder({ store: { type: 'embedded', path: ':memory:' } })).to.equal(undefined);
    expect(folder({ store: redis })).to.equal('/etc/switchyard/data/journal-3000');
    expect(folder({ store: redis, server: { port: 3001 } })).to.equal('/etc/switchyard/data/journal-3001');
    expect(folder({ store: redis, server: { port: 0 } })).to.equal(undefined);
    expect(folder({ store: redis, usage: { journalPath: '/var/lib/switchyard-1' } })).to.equal('/var/lib/switchyard-1');
    expect(folder({ store: { type: 'embedded', path: './data' }, usage: { journalPath: false } })).to.equal(undefined);
    expect(folder({ store: { type: 'embedded', path: ':memory:' }, usage: { journalPath: 'journal' } })).to.equal(
      '/etc/switchyard/journal',
    );
  });

  it('costs only the journal, with a warning, when its default folder cannot be made; a configured one that cannot be made stops the start', () => {
    const { log, lines } = captureLog();
    const impossible = '/dev/null/journal-3000';
    expect(openJournal({ path: impossible, configured: false }, log)).to.equal(undefined);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.fields?.['path'])).to.deep.equal([impossible]);
    expect(() => openJournal({ path: impossible, configured: true }, log)).to.throw();
  });
});
