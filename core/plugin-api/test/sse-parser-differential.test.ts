/**
 * The hand-written byte-level SSE parser (src/sse.ts) against `eventsource-parser`, a
 * widely used string-level implementation of the WHATWG rules, fed through the WHATWG
 * "UTF-8 decode" (`TextDecoder`, which also drops a leading BOM as the spec says). Both
 * read the recorded streams under plugins/* /test/fixtures, cut at every byte boundary
 * and in one-byte chunks, in LF, CRLF and CR versions, and seeded random streams (a
 * fixed PRNG, a bounded count) with BOMs, comments, `retry:`, `id:` (with and without
 * NUL), unknown fields, multi-line and empty data, multi-byte characters and stray
 * invalid UTF-8, cut at random and at every boundary.
 *
 * Intended differences, tested as such:
 * - `end()` flushes a last event that lacked its blank line (a usage tap wants the usage
 *   of a stream cut short); the WHATWG rules drop it. So with `end()` ours equals the
 *   reference given the stream plus a blank line; without `end()` the two are equal.
 * - With `events`, events named otherwise are skipped; for streams with at most one
 *   `event:` line per event (what providers send) that is the reference's events
 *   filtered by name. (A renamed skipped event stays skipped: sse-parser.test.ts.)
 * Both parsers start each event with no id, unlike EventSource's last-event-id, which
 * persists for reconnection and is no concern of a relay.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { createParser } from 'eventsource-parser';
import { createSseParser, type SseEvent, type SseParserOptions } from '@switchyard/plugin-api';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The recorded `.sse` streams of every plugin's tests. */
function fixtures(): Array<{ name: string; bytes: Buffer }> {
  const found: Array<{ name: string; bytes: Buffer }> = [];
  for (const plugin of readdirSync(join(REPO, 'plugins'))) {
    const dir = join(REPO, 'plugins', plugin, 'test', 'fixtures');
    let files: string[];
    try {
      files = readdirSync(dir);
    } catch {
      continue;
    }
    for (const file of files.filter((name) => name.endsWith('.sse')).sort()) {
      found.push({ name: `${plugin}/${file}`, bytes: readFileSync(join(dir, file)) });
    }
  }
  return found;
}

/** An event with absent fields left out, as ours delivers them. */
function normalized(event: { data: string; event?: string | undefined; id?: string | undefined }): SseEvent {
  const out: SseEvent = { data: event.data };
  if (event.event !== undefined) out.event = event.event;
  if (event.id !== undefined) out.id = event.id;
  return out;
}

function ours(chunks: readonly Uint8Array[], options?: SseParserOptions, end = false): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createSseParser((event) => events.push(event), options);
  for (const chunk of chunks) parser.push(chunk);
  if (end) parser.end();
  return events;
}

/** eventsource-parser over the WHATWG UTF-8 decode of the same chunks. */
function reference(chunks: readonly Uint8Array[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push(normalized(event)) });
  const decoder = new TextDecoder('utf-8');
  let last = '';
  const feed = (text: string): void => {
    if (text === '') return;
    parser.feed(text);
    last = text;
  };
  for (const chunk of chunks) feed(decoder.decode(chunk, { stream: true }));
  feed(decoder.decode());
  // eventsource-parser holds a CR back until it sees the next character (it may be
  // CRLF); at the end of the stream there is none, and the CR ends its line (WHATWG). An
  // LF completes the pair without adding a line.
  if (last.endsWith('\r')) parser.feed('\n');
  return events;
}

/** Every cut in two, and one chunk per byte. */
function everyCut(bytes: Buffer): Buffer[][] {
  const ways: Buffer[][] = [];
  for (let cut = 0; cut <= bytes.length; cut++) ways.push([bytes.subarray(0, cut), bytes.subarray(cut)]);
  ways.push([...bytes].map((byte) => Buffer.from([byte])));
  return ways;
}

/** mulberry32: a small deterministic PRNG, so every run tests the same streams. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['message_start', 'content_block_delta', 'message_delta', 'ping', 'error', 'x'];
const WANTED = ['message_start', 'message_delta', 'error'];

/** A random stream, as bytes; `oneNamePerEvent` keeps to at most one `event:` line per event. */
function randomStream(random: () => number, oneNamePerEvent: boolean): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const text = (): Buffer => {
    const parts: Buffer[] = [];
    const length = Math.floor(random() * 12);
    for (let i = 0; i < length; i++) {
      const roll = random();
      if (roll < 0.03) parts.push(Buffer.from([pick([0xff, 0xc3, 0xe2, 0x80, 0xed])]));
      else
        parts.push(
          Buffer.from(pick(['a', 'Z', '0', ' ', ':', '{', '"', '\u00e9', '\u2603', '\ud83d\ude00', '\u0000', 'data']), 'utf8'),
        );
    }
    return Buffer.concat(parts);
  };
  const eol = (): string => pick(['\n', '\n', '\r\n', '\r']);
  const parts: Buffer[] = [];
  if (random() < 0.15) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const events = 1 + Math.floor(random() * 6);
  for (let e = 0; e < events; e++) {
    let named = false;
    const lines = 1 + Math.floor(random() * 5);
    for (let l = 0; l < lines; l++) {
      const roll = random();
      let line: Buffer;
      if (roll < 0.4) line = Buffer.concat([Buffer.from(pick(['data:', 'data: ', 'data:  '])), text()]);
      else if (roll < 0.45) line = Buffer.from('data');
      else if (roll < 0.6 && !(oneNamePerEvent && named)) {
        named = true;
        line = Buffer.from(`${pick(['event:', 'event: '])}${pick([...NAMES, ''])}`);
      } else if (roll < 0.7) line = Buffer.concat([Buffer.from(pick(['id:', 'id: '])), text()]);
      else if (roll < 0.77) line = Buffer.from(`retry: ${pick(['1000', 'x', '', '-5'])}`);
      else if (roll < 0.87) line = Buffer.concat([Buffer.from(pick([':', ': '])), text()]);
      else if (roll < 0.93) {
        // A bare `event` (maybe followed by `:` from the text) names the event too.
        const fields = oneNamePerEvent ? ['foo: ', 'Data: ', ' data: ', 'id'] : ['foo: ', 'Data: ', ' data: ', 'event', 'id'];
        line = Buffer.concat([Buffer.from(pick(fields)), text()]);
      } else line = text();
      parts.push(line, Buffer.from(eol()));
    }
    // The blank line ending the event; sometimes missing at the very end.
    if (e < events - 1 || random() < 0.8) parts.push(Buffer.from(eol()));
  }
  return Buffer.concat(parts);
}

/** Random chunks of 1 to 16 bytes. */
function randomCuts(random: () => number, bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * 16);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

const BLANK_LINE = Buffer.from('\n\n');

/** Asserts ours agrees with the reference for these chunks: as streamed, at end(), and filtered. */
function agree(chunks: readonly Buffer[], label: string, filtered: boolean): void {
  const whole = Buffer.concat(chunks);
  const expected = reference(chunks);
  expect(ours(chunks), label).to.deep.equal(expected);
  expect(ours(chunks, undefined, true), `${label}, end()`).to.deep.equal(reference([whole, BLANK_LINE]));
  if (filtered) {
    const wanted = expected.filter((event) => event.event === undefined || WANTED.includes(event.event));
    expect(ours(chunks, { events: WANTED }), `${label}, events`).to.deep.equal(wanted);
  }
}

/** The fixture with LF, CRLF and CR line ends (the recorded one among them). */
function lineEndVariants(bytes: Buffer): Array<[string, Buffer]> {
  const lf = bytes.toString('latin1').replace(/\r\n?/g, '\n');
  return [
    ['LF', Buffer.from(lf, 'latin1')],
    ['CRLF', Buffer.from(lf.replace(/\n/g, '\r\n'), 'latin1')],
    ['CR', Buffer.from(lf.replace(/\n/g, '\r'), 'latin1')],
  ];
}

describe('SSE parser, differential against eventsource-parser', () => {
  const recorded = fixtures();

  it('finds the recorded streams', () => {
    expect(recorded.map((fixture) => fixture.name)).to.include.members([
      'claude/claude-code-stream.sse',
      'claude/legacy-cache-crlf-stream.sse',
    ]);
  });

  for (const { name, bytes } of recorded) {
    it(`reads ${name} as the reference does, cut at every byte boundary, in LF, CRLF and CR, and after a BOM`, () => {
      for (const [variant, input] of lineEndVariants(bytes)) {
        expect(reference([input]).length, `${variant}: the fixture has events`).to.be.greaterThan(2);
        for (const chunks of everyCut(input)) agree(chunks, `${variant} cut ${chunks[0]!.length}`, true);
      }
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
      expect(ours([withBom])).to.deep.equal(ours([bytes]));
      for (const chunks of everyCut(withBom).slice(0, 8)) agree(chunks, `BOM cut ${chunks[0]!.length}`, true);
    });
  }

  it('reads 400 seeded random streams as the reference does, in random chunks and cut at every boundary', () => {
    let events = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const random = prng(seed);
      const oneName = seed % 2 === 0;
      const bytes = randomStream(random, oneName);
      events += reference([bytes]).length;
      agree([bytes], `seed ${seed} whole: ${JSON.stringify(bytes.toString('latin1'))}`, oneName);
      agree(randomCuts(random, bytes), `seed ${seed} random cuts`, oneName);
      if (seed <= 60) {
        for (const chunks of everyCut(bytes)) agree(chunks, `seed ${seed} cut ${chunks[0]!.length}`, oneName);
      }
    }
    // The generator makes streams with events in them, not only noise.
    expect(events).to.be.greaterThan(400);
  });
});
