/**
 * How a JSON request body is parsed from its bytes (the bytes themselves are forwarded
 * unchanged, see plugins/openai/test/client-bytes-reach-upstream-unchanged.test.ts):
 * invalid UTF-8 becomes U+FFFD in the parsed strings, an escaped lone surrogate stays a
 * lone code unit, a leading byte order mark is skipped.
 */
import { expect } from 'chai';
import { GatewayError } from '@switchyard/plugin-api';
import { parseJsonBody } from '../../src/app/parse-json-body.js';

const json = (...parts: Array<string | number[]>): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))));

describe('parseJsonBody', () => {
  it('decodes bytes that are not UTF-8 as U+FFFD in the parsed string', () => {
    const value = parseJsonBody(json('{"text":"a', [0xff], 'b', [0xc3, 0x28], '"}'));
    expect(value).to.deep.equal({ text: 'a\uFFFDb\uFFFD(' });
  });

  it('keeps escaped lone surrogates as lone code units, which JSON.stringify writes back escaped', () => {
    const value = parseJsonBody(json('{"text":"\\ud800-\\udfff"}')) as { text: string };
    expect([...value.text].map((char) => char.charCodeAt(0))).to.deep.equal([0xd800, 0x2d, 0xdfff]);
    expect(JSON.stringify(value)).to.equal('{"text":"\\ud800-\\udfff"}');
  });

  it('skips a leading byte order mark, and only a leading one', () => {
    expect(parseJsonBody(json([0xef, 0xbb, 0xbf], ' {"a":1}'))).to.deep.equal({ a: 1 });
    expect(() => parseJsonBody(json(' ', [0xef, 0xbb, 0xbf], '{"a":1}'))).to.throw(GatewayError, /not valid JSON/);
  });

  it('reads an empty body as {} and refuses a top-level scalar or broken JSON', () => {
    expect(parseJsonBody(Buffer.alloc(0))).to.deep.equal({});
    for (const text of ['"text"', '12', 'null', '{"a":', '[1,]']) {
      expect(() => parseJsonBody(json(text)), text).to.throw(GatewayError, /not valid JSON/);
    }
  });
});
