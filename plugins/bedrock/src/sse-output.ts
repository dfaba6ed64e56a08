/**
 * The SSE bytes of one network chunk's frames, written into one buffer as they are
 * decoded. A Bedrock `chunk` event carries the Anthropic event JSON in base64; its
 * `event: <type>` / `data: <JSON>` lines are written without an intermediate copy of
 * the JSON: it is decoded once, straight to where it belongs (the type's length guessed
 * from the last event), and the type is then read from it. Per frame that leaves one
 * string (the base64 text) for the garbage collector, which on this hot path (one frame
 * per token delta) is most of what the relay allocates; the SSE is built in a shared
 * scratch buffer and copied out at its exact size.
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

/**
 * The buffer outputs are built in, one output at a time, then copied out at their exact
 * size: a network chunk's SSE costs one allocation of what it holds (from Node's pool when
 * small), not one of the chunk's frame bytes, and what the client's socket holds pins
 * nothing larger than itself.
 */
const SCRATCH_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
let scratchInUse = false;
const NO_BYTES = Buffer.alloc(0);

/** Writes the ASCII bytes of `text` at `at`; their count. (A loop: cheaper than a native call for a few bytes.) */
function writeAscii(buffer: Buffer, at: number, text: Buffer): number {
  for (let i = 0; i < text.length; i++) buffer[at + i] = text[i]!;
  return text.length;
}

/** Builds the SSE of one network chunk; {@link SseOutput.bytes} hands it over. */
export class SseOutput {
  /** The type length of the last event written in place: the next event's JSON is decoded where that length puts it. */
  private static typeLengthGuess = 'content_block_delta'.length;
  private buffer: Buffer;
  /** True while `buffer` is the shared scratch buffer. */
  private onScratch: boolean;
  /** Where what is not handed over yet starts in `buffer`, where the written bytes end, and the buffer's usable end. */
  private start = 0;
  private length = 0;
  private capacityEnd: number;

  /** `capacity`: the expected size (the chunk's frame bytes are a bound for Bedrock's chunk events); it grows as needed. */
  constructor(capacity: number) {
    const size = Math.max(capacity, 256);
    this.onScratch = !scratchInUse && size <= SCRATCH_BYTES;
    if (this.onScratch) scratchInUse = true;
    this.buffer = this.onScratch ? scratch : Buffer.allocUnsafe(size);
    this.capacityEnd = this.buffer.length;
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

  /**
   * What was written since the last call; undefined when nothing was. What is handed over
   * is never written again (a later append goes after it, or to a buffer of its own).
   */
  bytes(): Buffer | undefined {
    const length = this.length - this.start;
    if (!this.onScratch) {
      const written = length === 0 ? undefined : this.buffer.subarray(this.start, this.length);
      this.start = this.length;
      return written;
    }
    const written = length === 0 ? undefined : Buffer.allocUnsafe(length);
    if (written !== undefined) this.buffer.copy(written, 0, this.start, this.length);
    this.leaveScratch(NO_BYTES);
    return written;
  }

  /** Drops what was written and not handed over (a chunk that did not decode). */
  discard(): void {
    if (this.onScratch) this.leaveScratch(NO_BYTES);
    else this.start = this.length;
  }

  /**
   * The common case, written in place: a JSON that starts with its `type` (Anthropic
   * always writes it first) and holds no line break. False, with nothing written, when
   * the JSON is otherwise.
   *
   * The JSON is decoded once, straight to where it belongs after `event: <type>\ndata: `,
   * the type's length guessed from the last event (a stream is mostly deltas); a wrong
   * guess moves the JSON once.
   */
  private appendInPlace(base64: string): boolean {
    const jsonBound = Math.ceil(base64.length / 4) * 3;
    this.reserve(EVENT_PREFIX.length + HEAD_BYTES + DATA_PREFIX.length + jsonBound + EVENT_END.length);
    const buffer = this.buffer;
    const at = this.length;
    let typeLength = SseOutput.typeLengthGuess;
    let jsonStart = at + EVENT_PREFIX.length + typeLength + DATA_PREFIX.length;
    const jsonLength = buffer.write(base64, jsonStart, 'base64');
    if (jsonLength <= TYPE_FIELD.length) return false;
    for (let i = 0; i < TYPE_FIELD.length; i++) if (buffer[jsonStart + i] !== TYPE_FIELD[i]) return false;
    const typeStart = jsonStart + TYPE_FIELD.length;
    const headEnd = jsonStart + Math.min(jsonLength, HEAD_BYTES);
    let typeEnd = typeStart;
    while (typeEnd < headEnd && buffer[typeEnd] !== QUOTE) {
      if (buffer[typeEnd] === BACKSLASH) return false;
      typeEnd++;
    }
    if (typeEnd >= headEnd) return false;
    if (typeEnd - typeStart !== typeLength) {
      typeLength = typeEnd - typeStart;
      SseOutput.typeLengthGuess = typeLength;
      const moved = at + EVENT_PREFIX.length + typeLength + DATA_PREFIX.length;
      buffer.copyWithin(moved, jsonStart, jsonStart + jsonLength);
      jsonStart = moved;
    }
    let end = jsonStart + jsonLength;
    // A line break inside the JSON is found with a native search that stops at a sentinel
    // written just after it (the bytes beyond are not written yet): first a CR, then the
    // event's own closing LFs.
    buffer[end] = CARRIAGE_RETURN;
    if (buffer.indexOf(CARRIAGE_RETURN, jsonStart) !== end) return false;
    buffer[end] = LINE_FEED;
    buffer[end + 1] = LINE_FEED;
    if (buffer.indexOf(LINE_FEED, jsonStart) !== end) return false;
    end += EVENT_END.length;
    // The JSON is in place: write `event: <type>\ndata: ` before it.
    let head = at + writeAscii(buffer, at, EVENT_PREFIX);
    const typeFrom = jsonStart + TYPE_FIELD.length;
    for (let i = 0; i < typeLength; i++) buffer[head + i] = buffer[typeFrom + i]!;
    head += typeLength;
    writeAscii(buffer, head, DATA_PREFIX);
    this.length = end;
    return true;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.capacityEnd) return;
    const used = this.length - this.start;
    const grown = Buffer.allocUnsafe(Math.max((this.capacityEnd - this.start) * 2, used + bytes, 256));
    this.buffer.copy(grown, 0, this.start, this.length);
    if (this.onScratch) this.leaveScratch(grown);
    else this.buffer = grown;
    this.start = 0;
    this.length = used;
    this.capacityEnd = grown.length;
  }

  /** Gives the scratch buffer back, going on in `next`. */
  private leaveScratch(next: Buffer): void {
    this.onScratch = false;
    scratchInUse = false;
    this.buffer = next;
    this.start = 0;
    this.length = 0;
    this.capacityEnd = next.length;
  }
}
