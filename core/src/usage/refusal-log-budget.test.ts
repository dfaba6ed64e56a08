import { expect } from 'chai';
import type { Logger } from '@switchyard/plugin-api';
import { RefusalLogBudget } from './refusal-log-budget.js';

function recordingLogger(): { log: Logger; warnings: Record<string, unknown>[] } {
  const warnings: Record<string, unknown>[] = [];
  const log = {
    debug() {},
    info() {},
    warn(_message: string, fields?: Record<string, unknown>) {
      warnings.push(fields ?? {});
    },
    error() {},
    child() {
      return log;
    },
  } as unknown as Logger;
  return { log, warnings };
}

describe('RefusalLogBudget', () => {
  const minute = 60_000 * 29_000_000;

  it('admits perMinute refusals per key and per minute, keyless ones sharing one allowance', () => {
    const { log } = recordingLogger();
    const budget = new RefusalLogBudget(2, log);
    const admitted = (keyId: string, at: number) => budget.admit(keyId, at);
    expect([admitted('', minute), admitted('', minute + 1), admitted('', minute + 2)]).to.deep.equal([true, true, false]);
    expect([admitted('k1', minute + 3), admitted('k1', minute + 4), admitted('k1', minute + 5)]).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(admitted('k2', minute + 6)).to.equal(true);
    expect(admitted('', minute + 60_000)).to.equal(true);
  });

  it('says how many it left out once the minute is over', () => {
    const { log, warnings } = recordingLogger();
    const budget = new RefusalLogBudget(1, log);
    for (let i = 0; i < 5; i += 1) budget.admit('', minute + i);
    expect(warnings).to.deep.equal([]);
    budget.admit('', minute + 60_000);
    expect(warnings).to.deep.equal([{ count: 4 }]);
  });

  it('admits none with an allowance of 0', () => {
    expect(new RefusalLogBudget(0, recordingLogger().log).admit('', minute)).to.equal(false);
  });
});
