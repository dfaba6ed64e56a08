/**
 * The SSE bytes of one network chunk's frames, written into one buffer as they are
 * decoded. A Bedrock `chunk` event carries the Anthropic event JSON in base64; its
 * `event: <type>` / `data: <JSON>` lines are written without an intermediate copy of
 * the JSON: the type is read from the first bytes decoded into a small scratch buffer,
 * and the whole JSON is then decoded straight into place. Per frame that leaves one
 * string (the base64 text) for the garbage collector, which on this hot path (one frame
 * per token delta) is most of what the relay allocates.
 */

const EVENT_PREFIX = Buffer.from('event: ', 'latin1');
const DATA_PREFIX = Buffer.from('\ndata: ', 'latin1');
const EVENT_END = Buffer.from('\n\n', 'latin1');
const TYPE_FIELD = Buffer.from('{"type":"', 'latin1');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** Decoded bytes enough to hold `{"type":"` and any Anthropic event type with its closing quote. */
const HEAD_BYTES = 64;

/** The bytes of one SSE event for an event JSON, its type read from the JSON (`message` when it has none). */
export function sseEventOf(json: Buffer): Buffer {
  let type = 'message';
  let data = json.toString('utf8');
  const multiLine = /[\r\n]/.test(data);
  try {
    const parsed = JSON.parse(data) as { type?: unknown };
    if (typeof parsed.type === 'string') type = parsed.type.replace(/[\r\n]+/g, ' ');
    // One data: line holds the event: JSON spread over lines is re-serialised on one.
    if (multiLine) data = JSON.stringify(parsed);
  } catch {
    // Not JSON: relayed as it came, on one line.
    if (multiLine) data = data.replace(/[\r\n]+/g, ' ');
  }
  return Buffer.from(`event: ${type}\ndata: ${data}\n\n`, 'utf8');
}

/** Builds the SSE of one network chunk; {@link SseOutput.bytes} hands it over. */
export class SseOutput {
  private static readonly head = Buffer.allocUnsafe(HEAD_BYTES);
  private buffer: Buffer;
  private length = 0;

  /** `capacity`: the expected size (the chunk's frame bytes are a bound for Bedrock's chunk events); it grows as needed. */
  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 256));
  }

  /** Appends bytes as they are. */
  append(bytes: Buffer): void {
    this.reserve(bytes.length);
    this.length += bytes.copy(this.buffer, this.length);
  }

  /** Appends the SSE event of the event JSON whose base64 text is `base64`. */
  appendBase64Event(base64: string): void {
    if (!this.appendInPlace(base64)) this.append(sseEventOf(Buffer.from(base64, 'base64')));
  }

  /** What was written; undefined when nothing was. */
  bytes(): Buffer | undefined {
    return this.length === 0 ? undefined : this.buffer.subarray(0, this.length);
  }

  /**
   * The common case, written in place: a JSON that starts with its `type` (Anthropic
   * always writes it first) and holds no line break. False, with nothing written, when
   * the JSON is otherwise.
   */
  private appendInPlace(base64: string): boolean {
    const head = SseOutput.head;
    const headLength = head.write(base64, 0, HEAD_BYTES, 'base64');
    if (headLength <= TYPE_FIELD.length) return false;
    for (let i = 0; i < TYPE_FIELD.length; i++) if (head[i] !== TYPE_FIELD[i]) return false;
    const typeEnd = head.indexOf(QUOTE, TYPE_FIELD.length);
    if (typeEnd < 0 || typeEnd >= headLength) return false;
    for (let i = TYPE_FIELD.length; i < typeEnd; i++) if (head[i] === BACKSLASH) return false;

    const typeLength = typeEnd - TYPE_FIELD.length;
    const jsonBound = Math.ceil(base64.length / 4) * 3;
    this.reserve(EVENT_PREFIX.length + typeLength + DATA_PREFIX.length + jsonBound + EVENT_END.length);
    const buffer = this.buffer;
    let at = this.length;
    at += EVENT_PREFIX.copy(buffer, at);
    at += head.copy(buffer, at, TYPE_FIELD.length, typeEnd);
    at += DATA_PREFIX.copy(buffer, at);
    const jsonStart = at;
    at += buffer.write(base64, at, 'base64');
    // A line break inside the JSON is found with a native search that stops at a sentinel
    // written just after it (the bytes beyond are not written yet): first a CR, then the
    // event's own closing LFs.
    buffer[at] = CARRIAGE_RETURN;
    if (buffer.indexOf(CARRIAGE_RETURN, jsonStart) !== at) return false;
    EVENT_END.copy(buffer, at);
    if (buffer.indexOf(LINE_FEED, jsonStart) !== at) return false;
    at += EVENT_END.length;
    this.length = at;
    return true;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
