/**
 * The event-stream decoder: frames split anywhere across chunks, several frames in one
 * chunk, events emitted as soon as their frame is complete, exception and error frames
 * as Anthropic `event: error` ending the stream, and broken streams reported.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { EventStreamDecodeError, eventStreamToSse } from '../src/index.js';
import { anthropicEvents, chunkFrame, exceptionFrame, expectedSse } from './fake-bedrock.js';

const codec = new EventStreamCodec(
  (bytes) => Buffer.from(bytes).toString('utf8'),
  (text) => Buffer.from(text, 'utf8'),
);

/** What the SSE side emits, chunk by chunk ('data' events: one per converted network chunk). */
function collect(chunks: readonly Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  const sse = eventStreamToSse(chunks);
  return new Promise((resolve, reject) => {
    sse.on('data', (piece: Buffer) => out.push(piece.toString('utf8')));
    sse.on('end', () => resolve(out));
    sse.on('error', reject);
  });
}

async function failure(chunks: readonly Uint8Array[]): Promise<unknown> {
  try {
    await collect(chunks);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('eventStreamToSse', () => {
  const events = anthropicEvents();
  const frames = events.map(chunkFrame);
  const whole = Buffer.concat(frames);

  it('emits one SSE event per frame, the decoded JSON as sent', async () => {
    const out = await collect(frames);
    expect(out).to.have.length(frames.length);
    expect(out.join('')).to.equal(expectedSse(events));
  });

  for (const size of [1, 3, 7, 64, 1000]) {
    it(`decodes frames split into ${size}-byte chunks, emitting each event once its frame is complete`, async () => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < whole.length; i += size) chunks.push(whole.subarray(i, i + size));
      const out = await collect(chunks);
      expect(out.join('')).to.equal(expectedSse(events));
      // A chunk smaller than every frame completes at most one: each event comes out on its own, at once.
      if (size < Math.min(...frames.map((frame) => frame.length))) {
        expect(out).to.deep.equal(events.map((event) => expectedSse([event])));
      }
    });
  }

  it('emits every frame of a chunk holding several at once, in order', async () => {
    const out = await collect([whole]);
    expect(out).to.deep.equal([expectedSse(events)]);
  });

  it('turns an exception frame into an Anthropic error event and stops there', async () => {
    const out = await collect([frames[0]!, exceptionFrame('throttlingException', 'Too many requests.'), frames[1]!]);
    expect(out).to.have.length(2);
    expect(out[1]).to.equal(
      'event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Bedrock throttlingException: Too many requests."}}\n\n',
    );
  });

  it('maps the exception types to Anthropic error types', async () => {
    const cases: Record<string, string> = {
      modelStreamErrorException: 'api_error',
      validationException: 'invalid_request_error',
      serviceUnavailableException: 'overloaded_error',
      internalServerException: 'api_error',
      modelTimeoutException: 'timeout_error',
    };
    for (const [exception, type] of Object.entries(cases)) {
      const [text] = await collect([exceptionFrame(exception, 'x')]);
      expect(JSON.parse(text!.split('data: ')[1]!), exception).to.deep.include({
        error: { type, message: `Bedrock ${exception}: x` },
      });
    }
  });

  it("reads an unmodelled error frame's code and message from its headers", async () => {
    const frame = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'error' },
        ':error-code': { type: 'string', value: 'InternalFailure' },
        ':error-message': { type: 'string', value: 'Something broke.' },
      },
      body: new Uint8Array(0),
    });
    const [text] = await collect([frame]);
    expect(text).to.include('"message":"Bedrock InternalFailure: Something broke."');
  });

  it('reads a chunk payload whatever the order of its fields', async () => {
    const bytes = Buffer.from(JSON.stringify(events[0]), 'utf8').toString('base64');
    const frame = codec.encode({
      headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'chunk' } },
      body: Buffer.from(JSON.stringify({ p: 'abc"def', bytes }), 'utf8'),
    });
    expect(await collect([frame])).to.deep.equal([expectedSse([events[0]])]);
  });

  it('reads the event type wherever the JSON has it, and keeps multi-line JSON on one data line', async () => {
    const rawFrame = (json: string) =>
      codec.encode({
        headers: { ':message-type': { type: 'string', value: 'event' }, ':event-type': { type: 'string', value: 'chunk' } },
        body: Buffer.from(JSON.stringify({ bytes: Buffer.from(json, 'utf8').toString('base64') }), 'utf8'),
      });
    const typeLast = '{"index":0,"type":"content_block_stop"}';
    const spread = '{\n  "type": "ping"\n}';
    expect(await collect([rawFrame(typeLast), rawFrame(spread)])).to.deep.equal([
      `event: content_block_stop\ndata: ${typeLast}\n\n`,
      'event: ping\ndata: {"type":"ping"}\n\n',
    ]);
  });

  it('decodes each header block on its own when frames carry different ones', async () => {
    const throttled = exceptionFrame('throttlingException', 'slow down');
    const out = await collect([frames[0]!, frames[1]!, throttled]);
    expect(out.slice(0, 2)).to.deep.equal([expectedSse([events[0]]), expectedSse([events[1]])]);
    expect(out[2]).to.match(/^event: error\ndata: .*"type":"rate_limit_error"/);
  });

  it('ignores event frames that are not chunks', async () => {
    const other = codec.encode({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: 'initial-response' },
      },
      body: Buffer.from('{}'),
    });
    expect(await collect([other, frames[0]!])).to.deep.equal([expectedSse([events[0]])]);
  });

  it('lets the body go after a frame that ends the stream', async () => {
    const body = new PassThrough();
    const sse = eventStreamToSse(body);
    const out: string[] = [];
    sse.on('data', (piece: Buffer) => out.push(piece.toString('utf8')));
    body.write(Buffer.concat([frames[0]!, exceptionFrame('throttlingException', 'slow down'), frames[1]!]));
    await once(sse, 'end');
    expect(out.join('')).to.match(/^event: message_start\n[\s\S]*event: error\n/);
    expect(out.join('')).not.to.include(expectedSse([events[1]]));
    expect(body.destroyed).to.equal(true);
  });

  it('holds the body while the SSE side is full, and goes on when it is read', async () => {
    const body = new PassThrough();
    const sse = eventStreamToSse(body);
    // More frames than the SSE side buffers (16 KiB) with nobody reading.
    for (let i = 0; i < 40; i++) body.write(whole);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.isPaused()).to.equal(true);
    let received = 0;
    sse.on('data', (piece: Buffer) => (received += piece.length));
    body.end();
    await once(sse, 'end');
    expect(received).to.equal(40 * Buffer.byteLength(expectedSse(events)));
  });

  it('decodes what the body already holds when it is made, so its first events are buffered at once', async () => {
    const body = new PassThrough();
    body.write(Buffer.concat([frames[0]!, frames[1]!]));
    body.write(frames[2]!.subarray(0, 10));
    const sse = eventStreamToSse(body);
    // No tick has passed: the core reads the stream's start without waiting.
    expect(sse.readableLength).to.equal(Buffer.byteLength(expectedSse(events.slice(0, 2))));
    const out: string[] = [];
    sse.on('data', (piece: Buffer) => out.push(piece.toString('utf8')));
    body.end(Buffer.concat([frames[2]!.subarray(10), ...frames.slice(3)]));
    await once(sse, 'end');
    expect(out.join('')).to.equal(expectedSse(events));
  });

  it('reports a broken frame the body already held when it was made', async () => {
    const broken = Buffer.from(frames[0]!);
    broken.writeUInt8(broken.readUInt8(broken.length - 10) ^ 0xff, broken.length - 10);
    const body = new PassThrough();
    body.write(broken);
    const sse = eventStreamToSse(body);
    const [error] = (await once(sse, 'error')) as [Error];
    expect(error).to.be.instanceOf(EventStreamDecodeError);
  });

  it('passes an error of the body on', async () => {
    const body = new PassThrough();
    const sse = eventStreamToSse(body);
    const failed = once(sse, 'error');
    body.destroy(new Error('socket reset'));
    const [error] = (await failed) as [Error];
    expect(error.message).to.equal('socket reset');
  });

  it('reports a body closed before its end', async () => {
    const body = new PassThrough();
    const sse = eventStreamToSse(body);
    const failed = once(sse, 'error');
    body.write(frames[0]);
    body.destroy();
    const [error] = (await failed) as [Error];
    expect(error).to.be.instanceOf(EventStreamDecodeError);
  });

  it('reports a stream that ends inside a frame', async () => {
    expect(await failure([whole.subarray(0, whole.length - 3)])).to.be.instanceOf(EventStreamDecodeError);
  });

  it('reports a frame whose checksum does not match', async () => {
    const broken = Buffer.from(frames[0]!);
    const at = broken.length - 10;
    broken.writeUInt8(broken.readUInt8(at) ^ 0xff, at);
    expect(await failure([broken])).to.be.instanceOf(EventStreamDecodeError);
  });

  it('reports a corrupt prelude at once, without waiting for the length it claims', async () => {
    const body = new PassThrough();
    const sse = eventStreamToSse(body);
    const failed = once(sse, 'error');
    const corrupt = Buffer.from(frames[0]!.subarray(0, 20));
    corrupt.writeUInt32BE(corrupt.readUInt32BE(0) + 1000, 0);
    body.write(corrupt);
    const [error] = (await failed) as [Error];
    expect(error).to.be.instanceOf(EventStreamDecodeError);
    expect(error.message).to.include('prelude');
  });

  it('reports a frame length no Bedrock frame has', async () => {
    const bogus = Buffer.alloc(16);
    bogus.writeUInt32BE(0xffffffff, 0);
    expect(await failure([bogus])).to.be.instanceOf(EventStreamDecodeError);
  });
});
