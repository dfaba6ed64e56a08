/**
 * `logging.file`: the gateway's JSON lines in files rotated by date
 * (winston-daily-rotate-file), written completely by the time `close()` resolves, with
 * no secret in them.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGateway, sendRequest, waitFor } from '@switchyard/core/testing';
import { createLoggerHandle } from '../../src/logging/create-logger.js';
import { openLogFile } from '../../src/logging/open-log-file.js';
import { logFileSchema, loggingSchema } from '../../src/config/schema.js';
import { tickPlugin } from '../fixtures/tick-plugin.js';
import { startTickUpstream } from '../fixtures/tick-upstream.js';

const UPSTREAM_TOKEN = 'tick-upstream-secret-4242';
const ADMIN_PASSWORD = 'admin-password-for-log-test';

const logFiles = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort();
const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('log files (logging.file)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('get every line of the gateway as JSON, and no secret', async () => {
    const upstream = await startTickUpstream({ intervalMs: 0 });
    const tg = await createTestGateway({
      plugins: [tickPlugin],
      accounts: [{ type: 'tick-upstream', name: 'one', credentials: { token: UPSTREAM_TOKEN, baseUrl: upstream.url } }],
      config: { logging: { level: 'debug', file: { dirname: join(dir, 'logs') } }, admin: { password: ADMIN_PASSWORD } },
    });
    let closed = false;
    try {
      const url = `${tg.url}/tick/v1/ticks`;
      expect(
        (await sendRequest(url, { headers: { authorization: `Bearer ${tg.key}` }, body: { model: 'tick-1' } })).status,
      ).to.equal(200);
      const wrongKey = 'sy_a-wrong-key-that-must-not-be-logged';
      expect((await sendRequest(url, { headers: { 'x-api-key': wrongKey }, body: { model: 'tick-1' } })).status).to.equal(401);
      await tg.close();
      closed = true;

      const [name, ...others] = logFiles(join(dir, 'logs'));
      expect(others).to.deep.equal([]);
      const today = new Date();
      const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      expect(name).to.equal(`switchyard-${date}.log`);
      const text = readFileSync(join(dir, 'logs', name!), 'utf8');
      const lines = linesOf(join(dir, 'logs', name!));
      for (const line of lines) expect(line).to.include.keys('level', 'message', 'timestamp');
      // The same lines as the in-process sink, in order, down to the last one written at close.
      expect(lines.map((line) => line['message'])).to.deep.equal(tg.logs.map((line) => line['message']));
      expect(lines.at(-1)!['message']).to.equal('gateway stopped');
      expect(lines.some((line) => line['message'] === 'gateway listening')).to.equal(true);
      for (const secret of [tg.key, wrongKey, UPSTREAM_TOKEN, ADMIN_PASSWORD]) expect(text).not.to.contain(secret);
    } finally {
      if (!closed) await tg.close();
      await upstream.close();
    }
  });

  it('starts a new file when the date changes, and keeps maxFiles of them', async () => {
    const config = logFileSchema.parse({ dirname: dir, filename: 'gw-%DATE%.log', utc: true, maxFiles: 2 });
    // The library reads the date from Date.now() (through moment) when it opens and writes
    // a file: each line is written with Date.now() set to its day, then the file is awaited.
    const realNow = Date.now;
    const onDay = async <T>(iso: string, act: () => T | Promise<T>): Promise<T> => {
      Date.now = () => Date.parse(iso);
      try {
        return await act();
      } finally {
        Date.now = realNow;
      }
    };
    const transport = await onDay('2026-03-01T10:00:00Z', () => openLogFile(config, '/'));
    const logger = createLoggerHandle({ console: false, transports: [transport] });
    const write = async (iso: string, message: string, fields?: Record<string, unknown>) => {
      await onDay(iso, async () => {
        const logged = new Promise((done) => transport.once('logged', done));
        logger.log.info(message, fields);
        await logged;
      });
      const file = `gw-${iso.slice(0, 10)}.log`;
      await waitFor(() => logFiles(dir).includes(file), { what: file });
    };
    try {
      await write('2026-03-01T10:00:00Z', 'first day');
      await write('2026-03-02T09:00:00Z', 'second day');
      await write('2026-03-03T23:59:00Z', 'third day', { apiKey: 'sk-never-in-a-file' });
    } finally {
      await logger.close();
    }
    expect(logFiles(dir)).to.deep.equal(['gw-2026-03-02.log', 'gw-2026-03-03.log']);
    expect(linesOf(join(dir, 'gw-2026-03-02.log')).map((line) => line['message'])).to.deep.equal(['second day']);
    const [third] = linesOf(join(dir, 'gw-2026-03-03.log'));
    expect(third).to.include({ message: 'third day', apiKey: '[redacted]' });
  });

  it('is refused with console off and no file (the lines would go nowhere), and with a folder in its name', () => {
    expect(() => loggingSchema.parse({ console: false })).to.throw('console: false needs logging.file');
    expect(loggingSchema.parse({ console: false, file: {} }).file).to.deep.include({ dirname: 'logs', maxFiles: '14d' });
    expect(() => logFileSchema.parse({ filename: 'a/b.log' })).to.throw('without folders');
  });
});
