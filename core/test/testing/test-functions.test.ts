/**
 * The testing kit registers its suites with the caller's runner functions or the running
 * mocha's globals, never with a mocha module of its own (a plugin outside the repository
 * has its own mocha; a second copy would register nothing).
 */
import { expect } from 'chai';
import { afterEach as mochaAfterEach, beforeEach as mochaBeforeEach, describe as mochaDescribe, it as mochaIt } from 'mocha';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeGoldenCosts, resolveTestFunctions, type TestFunctions } from '../../src/testing/index.js';

const TESTING_DIR = fileURLToPath(new URL('../../src/testing/', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('testing kit: runner functions', () => {
  it("accepts mocha's own functions (type check) and prefers the given ones over the globals", () => {
    const fromMocha: TestFunctions = {
      describe: mochaDescribe,
      it: mochaIt,
      beforeEach: mochaBeforeEach,
      afterEach: mochaAfterEach,
    };
    const own = () => undefined;
    const resolved = resolveTestFunctions({ ...fromMocha, it: own });
    expect(resolved.it).to.equal(own);
    expect(resolved.describe).to.equal(mochaDescribe);
  });

  it('falls back to the globals the running mocha installed', () => {
    const resolved = resolveTestFunctions();
    const scope = globalThis as unknown as TestFunctions;
    expect(resolved.describe).to.equal(scope.describe);
    expect(resolved.it).to.equal(scope.it);
    expect(resolved.beforeEach).to.equal(scope.beforeEach);
    expect(resolved.afterEach).to.equal(scope.afterEach);
  });

  it('names what is missing when neither the caller nor the globals have it', () => {
    const scope = globalThis as unknown as Record<string, unknown>;
    const saved = { it: scope.it, afterEach: scope.afterEach };
    delete scope.it;
    delete scope.afterEach;
    try {
      expect(() => resolveTestFunctions()).to.throw(/no it, afterEach to register tests with/);
      expect(() => describeGoldenCosts('x', { codec: {} as never, prices: {}, cases: [] })).to.throw(/no it/);
    } finally {
      Object.assign(scope, saved);
    }
  });

  it('registers golden-cost tests with the functions it is given', () => {
    const titles: string[] = [];
    const fake: TestFunctions = {
      describe: (title, body) => {
        titles.push(`describe ${title}`);
        body.call({});
      },
      it: (title) => titles.push(`it ${title}`),
      beforeEach: () => undefined,
      afterEach: () => undefined,
    };
    describeGoldenCosts('x', {
      codec: {} as never,
      prices: {},
      cases: [{ name: 'one', model: 'm', json: {}, expectedMicros: 0 }],
      testFunctions: fake,
    });
    expect(titles).to.deep.equal(['describe golden costs: x', 'it one']);
  });

  it('no module of the kit imports mocha', async () => {
    const files = await sourceFiles(TESTING_DIR);
    expect(files.length).to.be.greaterThan(10);
    const importing: string[] = [];
    for (const file of files) {
      if (
        /^\s*(import|export)\b[^;]*from\s+['"]mocha['"]|[^*]\s(import|require)\(\s*['"]mocha['"]\s*\)/m.test(
          await readFile(file, 'utf8'),
        )
      )
        importing.push(file);
    }
    expect(importing).to.deep.equal([]);
  });
});
