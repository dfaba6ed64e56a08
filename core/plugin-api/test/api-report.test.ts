import { expect } from 'chai';
import { API_REPORT_DIR, REFRESH_COMMAND, buildApiReport, readCommittedApiReport } from '../scripts/api-report.js';

describe('the plugin API report', function () {
  this.timeout(120_000);

  it('matches the public surface of the sources', () => {
    const committed = readCommittedApiReport();
    expect(committed.size, `${API_REPORT_DIR} is missing: run \`${REFRESH_COMMAND}\` and commit it`).to.be.greaterThan(0);
    const current = buildApiReport();
    const differences: string[] = [];
    for (const name of new Set([...committed.keys(), ...current.keys()])) {
      const was = committed.get(name);
      const now = current.get(name);
      if (was === now) continue;
      if (was === undefined) differences.push(`${name}: new in the sources`);
      else if (now === undefined) differences.push(`${name}: gone from the sources`);
      else {
        const wasLines = was.split('\n');
        const nowLines = now.split('\n');
        const first = nowLines.findIndex((line, index) => line !== wasLines[index]);
        differences.push(
          `${name}, line ${first + 1}:\n  committed: ${wasLines[first] ?? '(end of file)'}\n  sources:   ${nowLines[first] ?? '(end of file)'}`,
        );
      }
    }
    if (differences.length === 0) return;
    expect.fail(
      `The plugin API's public surface changed:\n${differences.join('\n')}\n` +
        `If the change is intended, run \`${REFRESH_COMMAND}\` and commit api-report/ with it, so reviewers see it.`,
    );
  });
});
