/** An adapter's body transform, where the core reads a body: the stream's start, the pump, error bodies and `text()`. */
import { Readable, Writable } from 'node:stream';
import { expect } from 'chai';
import { upstreamResponse, type BodyTransform, type StreamUsageTap } from '@switchyard/plugin-api';
import { pumpResponse } from './pump-response.js';
import { readStreamStart } from './read-stream-start.js';

/**
 * A toy framing: each `name:data\n` line becomes `event: name\ndata: data\n\n`; a line
 * cut across chunks waits for its end; a `stop` line ends the converted stream; a line
 * without a colon does not decode.
 */
class LinesToSse implements BodyTransform {
  ended = false;
  ends = 0;
  private pending = '';

  push(chunk: Uint8Array): Uint8Array | undefined {
    const text = this.pending + Buffer.from(chunk).toString('utf8');
    const lines = text.split('\n');
    this.pending = lines.pop()!;
    let out = '';
    for (const line of lines) {
      if (line === 'stop') {
        this.ended = true;
        break;
      }
      const colon = line.indexOf(':');
      if (colon < 0) throw new Error(`not a frame: ${line}`);
      out += `event: ${line.slice(0, colon)}\ndata: ${line.slice(colon + 1)}\n\n`;
    }
    return out === '' ? undefined : Buffer.from(out);
  }

  end(): Uint8Array | undefined {
    this.ends += 1;
    if (this.pending !== '') throw new Error('cut inside a frame');
    return Buffer.from(': end\n\n');
  }
}

/** A body that gets `pieces` one macrotask apart, then ends. */
function arriving(pieces: readonly string[]): Readable {
  const body = new Readable({ read() {} });
  let index = 0;
  const next = (): void => {
    if (body.destroyed) return;
    if (index < pieces.length) {
      body.push(Buffer.from(pieces[index++]!));
      setImmediate(next);
    } else body.push(null);
  };
  setImmediate(next);
  return body;
}

/** Runs the pump over `source` into a collecting writable; what the client and the tap got. */
async function pump(source: Readable, transform: BodyTransform, head?: string) {
  const written: Buffer[] = [];
  const tapped: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk);
      callback();
    },
  });
  const tap: StreamUsageTap = {
    push: (chunk) => void tapped.push(Buffer.from(chunk)),
    end: () => null,
  };
  const outcome = await pumpResponse({
    source,
    contentEncoding: undefined,
    transform,
    head: head === undefined ? undefined : Buffer.from(head),
    tap,
    translator: undefined,
    out,
    signal: new AbortController().signal,
    onFirstByte() {},
  });
  return { outcome, client: Buffer.concat(written).toString('utf8'), tapped: Buffer.concat(tapped).toString('utf8') };
}

const signal = new AbortController().signal;

describe('body transforms', () => {
  it("read the stream's start converted, across chunks, and hand on the converted head and the unconverted rest", async () => {
    const transform = new LinesToSse();
    const body = arriving(['message_st', 'art:{"a":1}', '\ndelta:x\n', 'delta:y\n']);
    const start = await readStreamStart(body, signal, undefined, transform);
    expect(start.first).to.deep.equal({ event: 'message_start', data: '{"a":1}' });
    // The chunk that completed the first frame completed the next one too: both were read.
    expect(start.head?.toString('utf8')).to.equal('event: message_start\ndata: {"a":1}\n\nevent: delta\ndata: x\n\n');
    const { outcome, client, tapped } = await pump(start.body, transform, start.head?.toString('utf8'));
    const expected = 'event: message_start\ndata: {"a":1}\n\nevent: delta\ndata: x\n\nevent: delta\ndata: y\n\n: end\n\n';
    expect(outcome.completed).to.equal(true);
    expect(client).to.equal(expected);
    expect(tapped, 'the usage tap sees the converted bytes').to.equal(expected);
    expect(transform.ends, 'end is told once').to.equal(1);
  });

  it('take a start that already arrived without waiting, and an ended body with it', async () => {
    const transform = new LinesToSse();
    const body = new Readable({ read() {} });
    body.push(Buffer.from('error:{"e":1}\n'));
    body.push(null);
    const start = await readStreamStart(body, signal, ['error'], transform);
    expect(start.first?.event).to.equal('error');
    const { client } = await pump(start.body, transform, start.head?.toString('utf8'));
    expect(client).to.equal('event: error\ndata: {"e":1}\n\n: end\n\n');
  });

  it('stop reading when the transform ends the stream: the upstream body is let go and the answer completes', async () => {
    const transform = new LinesToSse();
    const body = arriving(['a:1\n', 'b:2\nstop\nc:3\n', 'd:4\n', 'e:5\n']);
    const { outcome, client } = await pump(body, transform);
    expect(outcome.completed).to.equal(true);
    expect(client).to.equal('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n');
    expect(transform.ends, 'no end after the transform ended').to.equal(0);
    expect(body.destroyed).to.equal(true);
  });

  it('end a stream whose transform already ended at its start without reading further', async () => {
    const transform = new LinesToSse();
    const body = arriving(['x:1\nstop\n', 'y:2\n']);
    const start = await readStreamStart(body, signal, undefined, transform);
    expect(transform.ended).to.equal(true);
    const { outcome, client } = await pump(start.body, transform, start.head?.toString('utf8'));
    expect(outcome.completed).to.equal(true);
    expect(client).to.equal('event: x\ndata: 1\n\n');
    expect(start.body.destroyed).to.equal(true);
  });

  it('fail the pump with what the transform throws, after relaying what it converted before', async () => {
    const transform = new LinesToSse();
    const { outcome, client } = await pump(arriving(['a:1\n', 'garbage\n', 'b:2\n']), transform);
    expect(outcome.completed).to.equal(false);
    expect((outcome.error as Error).message).to.equal('not a frame: garbage');
    expect(client).to.equal('event: a\ndata: 1\n\n');
    const cut = await pump(arriving(['a:1\nb:']), new LinesToSse());
    expect((cut.outcome.error as Error).message).to.equal('cut inside a frame');
  });

  it("reject the stream's start when the transform throws there, and let the body go", async () => {
    const body = arriving(['garbage\n', 'a:1\n']);
    const failed = await readStreamStart(body, signal, undefined, new LinesToSse()).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failed).to.equal('not a frame: garbage');
    expect(body.destroyed).to.equal(true);
  });

  it('apply to what upstreamResponse().text() reads', async () => {
    const response = upstreamResponse({
      status: 200,
      headers: {},
      body: arriving(['a:1\nb', ':2\n']),
      bodyTransform: new LinesToSse(),
    });
    expect(await response.text()).to.equal('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n: end\n\n');
  });
});
