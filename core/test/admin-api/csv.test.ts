import { expect } from 'chai';
import { csvCell, csvLine, microsToUsd } from '../../src/admin-api/csv.js';

describe('admin API CSV cells', () => {
  it('defuses cells a spreadsheet would read as a formula', () => {
    for (const text of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(csvCell(text).replace(/^"/, '')).to.match(/^'/);
    expect(csvCell('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a=b')).to.equal('a=b');
  });

  it('quotes commas, quotes and line breaks, leaves the rest, and writes nothing for absent values', () => {
    expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 42, true, undefined, null])).to.equal(
      '"a,b","say ""hi""","two\nlines",42,true,,\r\n',
    );
  });

  it('writes micro-dollars as exact dollars with six decimals', () => {
    expect(microsToUsd(0)).to.equal('0.000000');
    expect(microsToUsd(6)).to.equal('0.000006');
    expect(microsToUsd(1_234_567)).to.equal('1.234567');
    expect(microsToUsd(12_000_000_000_001)).to.equal('12000000.000001');
  });
});
