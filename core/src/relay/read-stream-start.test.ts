import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { silentLogger } from '../testing/index.js';
import { upstreamResponse, type ProtocolDefinition, type UpstreamResponse } from '@switchyard/plugin-api';
import { readStreamStart } from './read-stream-start.js';
import { streamStartAnswer } from './stream-start-answer.js';

const START = 'event: message_start\ndata: {"type":"message_start"}\n\n';
const REST = 'event: delta\ndata: {"n":1}\n\nevent: stop\ndata: {}\n\n';
const ERROR = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error"}}\n\n';

/** A body that gets `pieces` one macrotask apart, then ends. */
function arriving(pieces: readonly (string | Buffer)[]): Readable {
  const body = new Readable({ read() {} });
  let index = 0;
  const next = (): void => {
    if (index < pieces.length) {
      body.push(Buffer.from(pieces[index++]!));
      setImmediate(next);
    } else body.push(null);
  };
  setImmediate(next);
  return body;
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const signal = new AbortController().signal;

describe('readStreamStart', () => {
  it('finds the first event across chunks and hands on every byte, in order', async () => {
    const body = arriving(['event: mes', 'sage_start\ndata: {"type":', '"message_start"}\n', '\n' + REST]);
    const start = await readStreamStart(body, signal, undefined);
    expect(start.first).to.deep.equal({ event: 'message_start', data: '{"type":"message_start"}' });
    expect(await text(start.body)).to.equal(START + REST);
  });

  it('skips parsing a first event named otherwise than the names given, on its first line alone', async () => {
    // Only the first line has come, and nothing more will before the test ends: no need to wait for it.
    const body = new Readable({ read() {} });
    body.push(Buffer.from('event: message_start\n'));
    const start = await readStreamStart(body, signal, ['error']);
    expect(start.first).to.equal(undefined);
    body.push(Buffer.from('data: {"type":"message_start"}\n\n' + REST));
    body.push(null);
    expect(await text(start.body)).to.equal(START + REST);
    const error = await readStreamStart(arriving([ERROR + REST]), signal, ['error']);
    expect(error.first?.event).to.equal('error');
  });

  it('takes a first chunk that already arrived without waiting', async () => {
    const body = new Readable({ read() {} });
    body.push(Buffer.from(START + REST));
    body.push(null);
    const start = await readStreamStart(body, signal, undefined);
    expect(start.first?.event).to.equal('message_start');
    expect(await text(start.body)).to.equal(START + REST);
  });

  it('reads CRLF streams and a last event without its blank line', async () => {
    const crlf = await readStreamStart(arriving(['event: error\r\ndata: x\r\n\r\n']), signal, ['error']);
    expect(crlf.first).to.deep.equal({ event: 'error', data: 'x' });
    const unterminated = await readStreamStart(arriving(['event: error\ndata: cut']), signal, undefined);
    expect(unterminated.first).to.deep.equal({ event: 'error', data: 'cut' });
    expect(await text(unterminated.body)).to.equal('event: error\ndata: cut');
    const empty = await readStreamStart(arriving([]), signal, undefined);
    expect(empty.first).to.equal(undefined);
    expect(await text(empty.body)).to.equal('');
  });

  it('rejects when the body fails or the client leaves before the first event', async () => {
    const failing = new Readable({ read() {} });
    setImmediate(() => failing.destroy(new Error('socket hang up')));
    const failed = await readStreamStart(failing, signal, undefined).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(failed).to.equal('socket hang up');
    const leaving = new AbortController();
    const silent = new Readable({ read() {} });
    setImmediate(() => leaving.abort(new Error('client disconnected')));
    const left = await readStreamStart(silent, leaving.signal, undefined).then(
      () => undefined,
      (error: Error) => error.message,
    );
    expect(left).to.equal('client disconnected');
    expect(silent.destroyed).to.equal(true);
  });
});

describe('streamStartAnswer', () => {
  const protocol = {
    streamStartEvents: ['error'],
    streamStartError: (event: { event?: string; data: string }) =>
      event.event === 'error' ? { status: 529, body: event.data } : undefined,
  } as unknown as ProtocolDefinition;

  it('reads a gzip-compressed stream, and hands it on decoded without its encoding header', async () => {
    const response: UpstreamResponse = upstreamResponse({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'content-encoding': 'gzip', 'content-length': '99' },
      body: arriving([gzipSync(START + REST)]),
    });
    expect(await streamStartAnswer(response, protocol, signal, silentLogger)).to.equal(undefined);
    expect(response.headers['content-encoding']).to.equal(undefined);
    expect(response.headers['content-length']).to.equal(undefined);
    expect(await text(response.body as Readable)).to.equal(START + REST);
  });

  it('turns an error first event into the error answer it stands for, as JSON', async () => {
    const response: UpstreamResponse = upstreamResponse({
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'request-id': 'r1' },
      body: arriving([ERROR]),
    });
    const answer = await streamStartAnswer(response, protocol, signal, silentLogger);
    expect(answer?.status).to.equal(529);
    expect(answer?.headers).to.deep.equal({ 'content-type': 'application/json', 'request-id': 'r1' });
    expect(Buffer.from(answer!.body).toString('utf8')).to.equal('{"type":"error","error":{"type":"overloaded_error"}}');
  });
});
