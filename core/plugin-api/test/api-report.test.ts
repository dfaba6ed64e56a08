import { expect } from 'chai';
import { API_REPORT_PATH, REFRESH_COMMAND, buildApiReport, readCommittedApiReport } from '../scripts/api-report.js';

describe('the plugin API report', function () {
  this.timeout(120_000);

  it('matches the public surface of the sources', () => {
    const committed = readCommittedApiReport();
    expect(committed, `${API_REPORT_PATH} is missing: run \`${REFRESH_COMMAND}\` and commit it`).to.be.a('string');
    const current = buildApiReport();
    if (current === committed) return;
    const currentLines = current.split('\n');
    const committedLines = committed!.split('\n');
    const first = currentLines.findIndex((line, index) => line !== committedLines[index]);
    const file = [...currentLines.slice(0, first + 1)].reverse().find((line) => line.startsWith('// '));
    expect.fail(
      `The plugin API's public surface changed (first difference at line ${first + 1}, in ${file ?? 'the header'}:\n` +
        `  committed: ${committedLines[first] ?? '(end of file)'}\n  sources:   ${currentLines[first] ?? '(end of file)'}).\n` +
        `If the change is intended, run \`${REFRESH_COMMAND}\` and commit api-report.d.ts with it, so reviewers see it.`,
    );
  });
});
