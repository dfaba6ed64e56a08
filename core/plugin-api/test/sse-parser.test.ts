/** The byte-level SSE parser: the WHATWG framing rules, any chunking, and skipped events. */
import { expect } from 'chai';
import { createSseParser, type SseEvent, type SseParserOptions } from '@switchyard/plugin-api';

function parse(chunks: readonly (Uint8Array | string)[], options?: SseParserOptions, end = true): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), options);
  for (const chunk of chunks) parser.push(chunk);
  if (end) parser.end();
  return events;
}

/** Every way of cutting `bytes` in two, plus one chunk per byte. */
function splits(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) ways.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  ways.push([...bytes].map((byte) => Buffer.from([byte])));
  return ways;
}

const ANTHROPIC_LIKE = [
  'event: message_start',
  'data: {"type":"message_start","message":{"model":"m","usage":{"input_tokens":3}}}',
  '',
  ': a comment',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","delta":{"text":"h\u00e9llo \u2603 \ud83d\ude00"}}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","usage":{"output_tokens":7}}',
  '',
  '',
];

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"type":"message_start","message":{"model":"m","usage":{"input_tokens":3}}}' },
  { event: 'content_block_delta', data: '{"type":"content_block_delta","delta":{"text":"h\u00e9llo \u2603 \ud83d\ude00"}}' },
  { event: 'message_delta', data: '{"type":"message_delta","usage":{"output_tokens":7}}' },
];

describe('SSE parser', () => {
  for (const [name, separator] of [
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ] as const) {
    it(`reads the same events however ${name} lines are cut into chunks, multi-byte characters included`, () => {
      const bytes = Buffer.from(ANTHROPIC_LIKE.join(separator), 'utf8');
      for (const chunks of splits(bytes)) expect(parse(chunks)).to.deep.equal(EXPECTED);
    });
  }

  it('joins data lines with LF, drops one leading space only, and reads fields without a colon or a space', () => {
    const text = 'data:first\ndata:  second\ndata\nevent:named\nid: 7\nretry: 100\nunknown: x\n\n';
    expect(parse([text])).to.deep.equal([{ event: 'named', data: 'first\n second\n', id: '7' }]);
  });

  it('delivers an event whose only data line is empty, and none for a block without data', () => {
    expect(parse(['event: ping\n\n', 'data:\n\n', 'id: 3\n\n'])).to.deep.equal([{ data: '' }]);
  });

  it('ignores a leading byte order mark, even split across chunks, and only at the start', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const body = Buffer.from('data: a\n\n');
    expect(parse([Buffer.concat([bom, body])])).to.deep.equal([{ data: 'a' }]);
    expect(parse([bom.subarray(0, 1), bom.subarray(1, 2), Buffer.concat([bom.subarray(2), body])])).to.deep.equal([
      { data: 'a' },
    ]);
    // Later on, the BOM is part of the line, whose field name is then unknown.
    expect(parse([body, Buffer.concat([bom, Buffer.from('data: b\n\n')])])).to.deep.equal([{ data: 'a' }]);
  });

  it('does not carry an id or a name over to the next event, and ignores an id holding NUL', () => {
    expect(parse(['id: 1\nevent: x\ndata: a\n\ndata: b\n\nid: 2\u0000\ndata: c\n\n'])).to.deep.equal([
      { id: '1', event: 'x', data: 'a' },
      { data: 'b' },
      { data: 'c' },
    ]);
  });

  it('flushes a last event that lacked its blank line at end(), and nothing before', () => {
    expect(parse(['data: partial'], undefined, false)).to.deep.equal([]);
    expect(parse(['event: e\ndata: partial'])).to.deep.equal([{ event: 'e', data: 'partial' }]);
    expect(parse(['data: a\r'])).to.deep.equal([{ data: 'a' }]);
  });

  it('with `events`, delivers only the named events listed and unnamed ones, in order', () => {
    const bytes = Buffer.from(`data: {"unnamed":true}\n\n${ANTHROPIC_LIKE.join('\n')}`, 'utf8');
    const options = { events: ['message_start', 'message_delta'] };
    for (const chunks of splits(bytes)) {
      expect(parse(chunks, options)).to.deep.equal([{ data: '{"unnamed":true}' }, EXPECTED[0], EXPECTED[2]]);
    }
  });

  it('with `events`, skips the same events whatever the line ends; a skipped event stays skipped', () => {
    const options = { events: ['message_start', 'message_delta'] };
    for (const eol of ['\r\n', '\r']) {
      const bytes = Buffer.from(ANTHROPIC_LIKE.join(eol), 'utf8');
      for (const chunks of splits(bytes))
        expect(parse(chunks, options), JSON.stringify(eol)).to.deep.equal([EXPECTED[0], EXPECTED[2]]);
    }
    const renamed = Buffer.from(
      'event: content_block_delta\ndata: {"a":1}\nevent: message_delta\ndata: {"b":2}\n\nevent: ping\ndata: {}\n\n',
      'utf8',
    );
    for (const chunks of splits(renamed)) {
      expect(parse(chunks, options)).to.deep.equal([]);
      expect(parse(chunks)).to.deep.equal([
        { event: 'message_delta', data: '{"a":1}\n{"b":2}' },
        { event: 'ping', data: '{}' },
      ]);
    }
    // A skipped event whose blank line has not arrived yet swallows nothing of the next one.
    const stream = Buffer.from(
      `${'event: content_block_delta\ndata: {"x":"y"}\n\n'.repeat(20)}event: message_delta\ndata: {"usage":1}\n\n`,
      'utf8',
    );
    for (const chunks of splits(stream))
      expect(parse(chunks, options)).to.deep.equal([{ event: 'message_delta', data: '{"usage":1}' }]);
  });

  it('accepts strings and typed-array views that are not Buffers', () => {
    const bytes = Buffer.from('data: x\n\ndata: y\n\n');
    const view = new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length), 3, bytes.length - 3);
    expect(parse([Buffer.from('dat'), view])).to.deep.equal([{ data: 'x' }, { data: 'y' }]);
    expect(parse(['data: \u00e9', 't\u00e9\n\n'])).to.deep.equal([{ data: '\u00e9t\u00e9' }]);
  });
});
