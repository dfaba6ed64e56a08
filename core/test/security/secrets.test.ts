import { expect } from 'chai';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveSecrets, resolveEncryptionKey } from '../../src/security/secrets.js';
import { captureLogger } from '../auth/capture-logger.js';

describe('deriveSecrets', () => {
  it('is deterministic and splits 96 bytes into three different keys', async () => {
    const a = await deriveSecrets('x'.repeat(32));
    const b = await deriveSecrets('x'.repeat(32));
    expect(a.cipherKey.equals(b.cipherKey)).to.equal(true);
    expect(a.keyHashKey.equals(b.keyHashKey)).to.equal(true);
    expect(a.sessionKey.equals(b.sessionKey)).to.equal(true);
    for (const part of [a.cipherKey, a.keyHashKey, a.sessionKey]) expect(part.length).to.equal(32);
    expect(a.cipherKey.equals(a.keyHashKey)).to.equal(false);
    expect(a.keyHashKey.equals(a.sessionKey)).to.equal(false);
    const c = await deriveSecrets('y'.repeat(32));
    expect(c.cipherKey.equals(a.cipherKey)).to.equal(false);
  });

  it('refuses a key shorter than 32 characters', async () => {
    let error: unknown;
    await deriveSecrets('short').catch((e: unknown) => (error = e));
    expect(String(error)).to.include('at least 32');
  });
});

describe('resolveEncryptionKey', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchyard-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prefers the configured key', async () => {
    const { log, lines } = captureLogger();
    const key = await resolveEncryptionKey({ configured: 'k'.repeat(40), storeKind: 'redis', log });
    expect(key).to.equal('k'.repeat(40));
    expect(lines).to.have.length(0);
  });

  it('rejects a configured key that is too short', async () => {
    const { log } = captureLogger();
    let error: unknown;
    await resolveEncryptionKey({ configured: 'short', storeKind: 'embedded', dataDir: dir, log }).catch(
      (e: unknown) => (error = e),
    );
    expect(String(error)).to.include('at least 32');
  });

  it('requires a key with the redis store', async () => {
    const { log } = captureLogger();
    let error: unknown;
    await resolveEncryptionKey({ storeKind: 'redis', log }).catch((e: unknown) => (error = e));
    expect(String(error)).to.include('ENCRYPTION_KEY is required with the redis store');
  });

  it('generates a key file with mode 0600 once, warns about backing it up, and reuses it', async () => {
    const { log, lines } = captureLogger();
    const dataDir = join(dir, 'nested', 'data');
    const first = await resolveEncryptionKey({ storeKind: 'embedded', dataDir, log });
    expect(first).to.match(/^[0-9a-f]{64}$/);
    const file = join(dataDir, 'encryption.key');
    expect((await readFile(file, 'utf8')).trim()).to.equal(first);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const warning = lines.find((line) => line.level === 'warn');
    expect(warning?.message).to.include('Back this file up');
    expect(warning?.fields?.file).to.equal(file);
    expect(JSON.stringify(lines)).not.to.include(first);

    const second = await resolveEncryptionKey({ storeKind: 'embedded', dataDir, log });
    expect(second).to.equal(first);
    expect(lines.filter((line) => line.level === 'warn')).to.have.length(1);
  });

  it('refuses a damaged key file', async () => {
    const { log } = captureLogger();
    await writeFile(join(dir, 'encryption.key'), 'abc\n', { mode: 0o600 });
    let error: unknown;
    await resolveEncryptionKey({ storeKind: 'embedded', dataDir: dir, log }).catch((e: unknown) => (error = e));
    expect(String(error)).to.include('damaged');
  });

  it('uses a throwaway key for an in-memory store', async () => {
    const { log } = captureLogger();
    const key = await resolveEncryptionKey({ storeKind: 'embedded', dataDir: ':memory:', log });
    expect(key).to.have.length(64);
  });
});
