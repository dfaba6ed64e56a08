/**
 * Server-sent events: an incremental parser over the relayed bytes and a frame
 * formatter. The parser works on bytes, not text: it finds line ends with the native
 * `indexOf`, and decodes only the lines it needs — with {@link SseParserOptions.events},
 * the data of events nobody reads is never decoded at all. A usage tap sees every byte
 * of every streamed answer, so this is on the hot path of the relay.
 */

/** One server-sent event. */
export interface SseEvent {
  /** The `event:` name, when the frame had one. */
  event?: string;
  data: string;
  /** This event's own `id:` (not carried over from earlier events, as EventSource's last event id is). */
  id?: string;
}

/** Parses a byte stream of server-sent events incrementally. */
export interface SseParser {
  push(chunk: Uint8Array | string): void;
  /**
   * Flushes a final event that lacked its blank-line terminator (the WHATWG rules drop it;
   * a usage tap wants the usage of a stream cut short).
   */
  end(): void;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /**
   * Only events with one of these `event:` names, or with no name at all, are delivered;
   * the others are skipped without decoding their data. An event is skipped from its first
   * `event:` line naming an unlisted event (a later `event:` line in the same event, which
   * the WHATWG rules would let rename it, does not bring it back). Absent: every event is
   * delivered, with the WHATWG rules in full.
   */
  events?: readonly string[];
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const EMPTY = Buffer.alloc(0);
/** LF LF: the end of an event in a stream without CR. */
const BLANK_LINE = Buffer.from('\n\n');

/** True when `bytes[from..end)` equals one of `names`. */
function isOneOf(bytes: Buffer, from: number, end: number, names: readonly Buffer[]): boolean {
  const length = end - from;
  for (const name of names) {
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && bytes[from + i] === name[i]) i++;
    if (i === length) return true;
  }
  return false;
}

/** True when `line[start..end)` begins with the ASCII `field` followed by `:` or the end. */
function isField(line: Buffer, start: number, end: number, field: string): boolean {
  const length = field.length;
  if (end - start < length) return false;
  for (let i = 0; i < length; i++) if (line[start + i] !== field.charCodeAt(i)) return false;
  return end - start === length || line[start + length] === COLON;
}

/** The value of a `field: value` line (one leading space dropped), as UTF-8 text. */
function valueOf(line: Buffer, start: number, end: number, fieldLength: number): string {
  const from = valueStart(line, start, end, fieldLength);
  return from >= end ? '' : line.toString('utf8', from, end);
}

/** Where the value of a `field: value` line starts (after the colon and one optional space). */
function valueStart(line: Buffer, start: number, end: number, fieldLength: number): number {
  const from = start + fieldLength + 1;
  return from < end && line[from] === SPACE ? from + 1 : from;
}

/**
 * Creates an incremental SSE parser calling `onEvent` for each complete event, for
 * usage taps and translators (the WHATWG rules: LF, CRLF or CR line ends, a leading BOM
 * ignored, `data:` lines joined with LF, comments and `retry:` skipped, an `id:` with a
 * NUL ignored). It parses a copy: forward the original bytes untouched.
 *
 * @param onEvent - Called once per complete event, in order.
 * @param options - See {@link SseParserOptions}.
 */
export function createSseParser(onEvent: (event: SseEvent) => void, options: SseParserOptions = {}): SseParser {
  /** The wanted names as UTF-8 bytes: an event's name is compared in place and decoded only when wanted. */
  const wanted = options.events?.map((event) => Buffer.from(event, 'utf8'));
  /** Bytes of an unfinished line from earlier chunks. */
  let rest: Buffer = EMPTY;
  let atStart = true;
  /** The previous chunk ended in CR: an LF opening the next one belongs to it. */
  let afterCr = false;
  let name: string | undefined;
  let data = '';
  let hasData = false;
  let id: string | undefined;
  /** The current event's name is known and not wanted: its data is not decoded. */
  let skipping = false;

  const dispatch = (): void => {
    if (hasData && !skipping) {
      const event: SseEvent = { data };
      if (name !== undefined) event.event = name;
      if (id !== undefined) event.id = id;
      onEvent(event);
    }
    name = undefined;
    data = '';
    hasData = false;
    id = undefined;
    skipping = false;
  };

  const line = (bytes: Buffer, start: number, end: number): void => {
    if (start === end) return dispatch();
    const first = bytes[start];
    if (first === COLON) return;
    if (first === 0x64 /* d */ && isField(bytes, start, end, 'data')) {
      if (skipping) {
        hasData = true;
        return;
      }
      const value = valueOf(bytes, start, end, 4);
      data = hasData ? `${data}\n${value}` : value;
      hasData = true;
    } else if (first === 0x65 /* e */ && isField(bytes, start, end, 'event')) {
      // A skipped event stays skipped (its data was not kept), whatever a later `event:` line says.
      if (skipping) return;
      const from = valueStart(bytes, start, end, 5);
      if (from >= end) {
        name = undefined;
        skipping = false;
      } else if (wanted === undefined || isOneOf(bytes, from, end, wanted)) {
        name = bytes.toString('utf8', from, end);
        skipping = false;
      } else {
        name = undefined;
        skipping = true;
      }
    } else if (first === 0x69 /* i */ && isField(bytes, start, end, 'id')) {
      const value = valueOf(bytes, start, end, 2);
      if (!value.includes('\0')) id = value;
    }
  };

  const feed = (chunk: Buffer): void => {
    let bytes = chunk;
    let position = 0;
    if (afterCr && bytes.length > 0) {
      afterCr = false;
      if (bytes[0] === LF) position = 1;
    }
    if (rest.length) {
      bytes = Buffer.concat([rest, bytes.subarray(position)]);
      position = 0;
      rest = EMPTY;
    }
    const length = bytes.length;
    if (atStart) {
      const bom = [0xef, 0xbb, 0xbf];
      let matched = 0;
      while (matched < 3 && position + matched < length && bytes[position + matched] === bom[matched]) matched++;
      if (matched === 3) position += 3;
      else if (position + matched === length) {
        // Too few bytes yet to tell a BOM from data.
        rest = Buffer.from(bytes.subarray(position));
        return;
      }
      atStart = false;
    }
    // Searched once per chunk and again only when passed, so CR-free streams stay linear.
    let cr = bytes.indexOf(CR, position);
    while (position < length) {
      if (cr !== -1 && cr < position) cr = bytes.indexOf(CR, position);
      if (skipping && cr === -1 && position > 0 && bytes[position - 1] === LF) {
        // The rest of a skipped event needs no line-by-line look: jump past its blank line.
        const blank = bytes.indexOf(BLANK_LINE, position - 1);
        if (blank !== -1) {
          position = blank + 2;
          dispatch();
          continue;
        }
      }
      let lf = bytes.indexOf(LF, position);
      if (lf === -1) lf = length;
      // A CR alone also ends a line.
      const end = cr !== -1 && cr < lf ? cr : lf;
      if (end === length) break;
      line(bytes, position, end);
      if (end === cr) {
        if (cr + 1 === length) {
          afterCr = true;
          position = length;
          break;
        }
        position = bytes[cr + 1] === LF ? cr + 2 : cr + 1;
      } else {
        position = lf + 1;
      }
    }
    if (position < length) rest = Buffer.from(bytes.subarray(position));
  };

  return {
    push(chunk) {
      if (chunk.length === 0) return;
      feed(
        typeof chunk === 'string'
          ? Buffer.from(chunk, 'utf8')
          : Buffer.isBuffer(chunk)
            ? chunk
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
      );
    },
    end() {
      if (rest.length) {
        const last = rest;
        rest = EMPTY;
        line(last, 0, last.length);
      }
      dispatch();
    },
  };
}

/** Formats one SSE frame, `event:` line included when `event` is given. */
export function formatSse(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  const lines = payload
    .split(/\r?\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `${event ? `event: ${event}\n` : ''}${lines}\n\n`;
}
