/** The SSE writer behind the event-stream decoder: events written in place, the other shapes of JSON, and growth. */
import { expect } from 'chai';
import { SseOutput } from '../src/sse-output.js';

const base64 = (json: string) => Buffer.from(json, 'utf8').toString('base64');

function written(jsons: readonly string[], capacity = 256): string {
  const out = new SseOutput(capacity);
  for (const json of jsons) out.appendBase64Event(base64(json));
  return out.bytes()?.toString('utf8') ?? '';
}

describe('SseOutput', () => {
  it('writes event: <type> and the JSON as sent', () => {
    const json = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo \\u00e9"}}';
    expect(written([json])).to.equal(`event: content_block_delta\ndata: ${json}\n\n`);
  });

  it('keeps a JSON whose type is not first as sent', () => {
    const json = '{"index":0,"value":1.0,"type":"content_block_stop"}';
    expect(written([json])).to.equal(`event: content_block_stop\ndata: ${json}\n\n`);
  });

  it('puts JSON spread over lines on one data line, and a JSON without a type under "message"', () => {
    expect(written(['{\r\n"type": "ping"\n}', '{"a":1}'])).to.equal(
      'event: ping\ndata: {"type":"ping"}\n\nevent: message\ndata: {"a":1}\n\n',
    );
  });

  it('reads a type with an escape in it from the parsed JSON', () => {
    const json = '{"type":"odd\\u0022name"}';
    expect(written([json])).to.equal(`event: odd"name\ndata: ${json}\n\n`);
  });

  it('grows past its first capacity, keeping what it wrote', () => {
    const jsons = Array.from({ length: 200 }, (_, i) => `{"type":"content_block_delta","text":"${'x'.repeat(i)}"}`);
    expect(written(jsons, 0)).to.equal(jsons.map((json) => `event: content_block_delta\ndata: ${json}\n\n`).join(''));
  });

  it('has no bytes when nothing was written', () => {
    expect(new SseOutput(16).bytes()).to.equal(undefined);
  });

  it('writes events whose types differ in length one after another', () => {
    const jsons = ['ping', 'content_block_delta', 'message_stop', 'content_block_delta', 'x', 'content_block_start'].map(
      (type, i) => `{"type":"${type}","n":${i}}`,
    );
    const expected = jsons.map((json) => `event: ${(JSON.parse(json) as { type: string }).type}\ndata: ${json}\n\n`).join('');
    expect(written(jsons)).to.equal(expected);
    // And again, starting from the last length seen.
    expect(written([...jsons].reverse())).to.equal(
      [...jsons]
        .reverse()
        .map((json) => `event: ${(JSON.parse(json) as { type: string }).type}\ndata: ${json}\n\n`)
        .join(''),
    );
  });

  it('keeps the bytes of each output when several are made and written in turn (one of them in the shared scratch buffer)', () => {
    const event = (n: number) => `{"type":"content_block_delta","n":${n},"text":"${'y'.repeat(n)}"}`;
    const first = new SseOutput(300);
    const second = new SseOutput(300);
    first.appendBase64Event(base64(event(1)));
    second.appendBase64Event(base64(event(2)));
    first.appendBase64Event(base64(event(3)));
    const firstBytes = first.bytes()!;
    const third = new SseOutput(300);
    third.appendBase64Event(base64(event(4)));
    second.appendBase64Event(base64(event(5)));
    // Grows past its capacity while another output was cut after it.
    for (let n = 6; n < 40; n++) second.appendBase64Event(base64(event(n)));
    const sse = (ns: number[]) => ns.map((n) => `event: content_block_delta\ndata: ${event(n)}\n\n`).join('');
    expect(firstBytes.toString('utf8')).to.equal(sse([1, 3]));
    expect(third.bytes()!.toString('utf8')).to.equal(sse([4]));
    expect(second.bytes()!.toString('utf8')).to.equal(sse([2, 5, ...Array.from({ length: 34 }, (_, i) => i + 6)]));
    expect(firstBytes.toString('utf8')).to.equal(sse([1, 3]));
  });

  it('never writes over bytes it handed over when appended to again', () => {
    const event = (n: number) => `{"type":"ping","n":${n}}`;
    const sse = (n: number) => `event: ping\ndata: ${event(n)}\n\n`;
    const out = new SseOutput(300);
    out.appendBase64Event(base64(event(1)));
    const first = out.bytes()!;
    out.appendBase64Event(base64(event(2)));
    const other = new SseOutput(300);
    other.appendBase64Event(base64(event(3)));
    expect(first.toString('utf8')).to.equal(sse(1));
    expect(out.bytes()!.toString('utf8')).to.equal(sse(2));
    expect(other.bytes()!.toString('utf8')).to.equal(sse(3));
    expect(first.toString('utf8')).to.equal(sse(1));
  });
});
