/** transformSseFrames: frames dropped or kept byte for byte however the stream is cut, text added at the end, usage read from all of it. */
import { expect } from 'chai';
import {
  emptyUsage,
  transformSseFrames,
  upstreamResponse,
  type SseFrame,
  type StreamUsageTap,
  type UpstreamResponse,
  type Usage,
} from '@switchyard/plugin-api';

const USAGE_ONLY = 'data: {"choices":[],"usage":{"prompt_tokens":3}}';

/** Frames with LF, CRLF and CR line ends, a comment-only frame, and bytes that are not UTF-8. */
const FRAMES = [
  Buffer.from('data: {"choices":[{"text":"h\u00e9"}]}\n\n', 'utf8'),
  Buffer.from(': keep-alive\r\n\r\n', 'utf8'),
  Buffer.concat([Buffer.from('event: raw\rdata: ', 'utf8'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\r\r', 'utf8')]),
  Buffer.from(`${USAGE_ONLY}\r\n\r\n`, 'utf8'),
  Buffer.from('data: [DONE]\n\n', 'utf8'),
];
const ALL = Buffer.concat(FRAMES);
const WITHOUT_USAGE = Buffer.concat(FRAMES.filter((_, index) => index !== 3));

async function* arriving(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

function streamed(chunks: readonly Uint8Array[], status = 200): UpstreamResponse {
  return upstreamResponse({ status, headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: arriving(chunks) });
}

async function collect(response: UpstreamResponse): Promise<{ bytes: Buffer; pieces: number }> {
  const pieces: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) pieces.push(Buffer.from(chunk));
  return { bytes: Buffer.concat(pieces), pieces: pieces.length };
}

/** A tap that counts the bytes it was given and reports them as input tokens. */
function byteCountingTap(): StreamUsageTap & { seen: Buffer[] } {
  const seen: Buffer[] = [];
  return {
    seen,
    push: (chunk) => void seen.push(Buffer.from(chunk)),
    end: (): Usage => ({ ...emptyUsage(), inputTokens: Buffer.concat(seen).length }),
  };
}

const isUsageOnly = ({ event }: SseFrame) => event?.data === USAGE_ONLY.slice('data: '.length);

describe('plugin-api transformSseFrames()', () => {
  it('drops the frames keep() refuses and passes the others byte for byte, cut at every byte boundary', async () => {
    const ways: Buffer[][] = [];
    for (let cut = 0; cut <= ALL.length; cut++) ways.push([ALL.subarray(0, cut), ALL.subarray(cut)]);
    ways.push([...ALL].map((byte) => Buffer.from([byte])));
    for (const chunks of ways) {
      const seen: SseFrame[] = [];
      const response = transformSseFrames(streamed(chunks), {
        keep: (frame) => (seen.push(frame), !isUsageOnly(frame)),
      });
      const { bytes } = await collect(response);
      expect(bytes.equals(WITHOUT_USAGE), `cut ${chunks.map((chunk) => chunk.length).join('+')}`).to.equal(true);
      expect(seen.map((frame) => Buffer.from(frame.bytes).equals(FRAMES[seen.indexOf(frame)]!))).to.deep.equal(
        FRAMES.map(() => true),
      );
      expect(seen.map((frame) => frame.event?.event)).to.deep.equal([undefined, undefined, 'raw', undefined, undefined]);
      expect(seen[1]!.event, 'a comment-only frame dispatches no event').to.equal(undefined);
    }
  });

  it('hands each frame on as soon as it is complete', async () => {
    const response = transformSseFrames(streamed(FRAMES), { keep: (frame) => !isUsageOnly(frame) });
    const { pieces } = await collect(response);
    expect(pieces).to.equal(FRAMES.length - 1);
  });

  it('treats a last frame without its blank line as a frame', async () => {
    const last = Buffer.from(USAGE_ONLY, 'utf8');
    const dropped = transformSseFrames(streamed([FRAMES[0]!, last]), { keep: (frame) => !isUsageOnly(frame) });
    expect((await collect(dropped)).bytes.equals(FRAMES[0]!)).to.equal(true);
    const kept = transformSseFrames(streamed([FRAMES[0]!, last.subarray(0, 5), last.subarray(5)]), { keep: () => true });
    expect((await collect(kept)).bytes.equals(Buffer.concat([FRAMES[0]!, last]))).to.equal(true);
  });

  it('reads usage from every byte upstream sent and adds end() text after the last frame', async () => {
    const tap = byteCountingTap();
    let endUsage: Usage | null | undefined;
    const response = transformSseFrames(streamed([ALL.subarray(0, 10), ALL.subarray(10)]), {
      keep: (frame) => !isUsageOnly(frame),
      usageTap: tap,
      end: (usage) => ((endUsage = usage), `data: {"usage":${usage?.inputTokens}}\n\n`),
    });
    const { bytes } = await collect(response);
    expect(bytes.toString('latin1')).to.equal(
      Buffer.concat([WITHOUT_USAGE, Buffer.from(`data: {"usage":${ALL.length}}\n\n`)]).toString('latin1'),
    );
    expect(Buffer.concat(tap.seen).equals(ALL)).to.equal(true);
    expect((await response.usage)?.inputTokens).to.equal(ALL.length);
    expect(endUsage?.inputTokens).to.equal(ALL.length);
  });

  it('settles usage when the client leaves early, without adding the end text', async () => {
    let ended = false;
    const response = transformSseFrames(streamed(FRAMES), {
      usageTap: byteCountingTap(),
      end: () => ((ended = true), ''),
    });
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      expect(Buffer.from(chunk).equals(FRAMES[0]!)).to.equal(true);
      break;
    }
    expect((await response.usage)?.inputTokens).to.equal(FRAMES[0]!.length);
    expect(ended).to.equal(false);
  });

  it('returns an error answer or a JSON answer unchanged', () => {
    const error = streamed([Buffer.from('data: x\n\n')], 429);
    expect(transformSseFrames(error, { keep: () => false })).to.equal(error);
    const json = upstreamResponse({ status: 200, headers: { 'content-type': 'application/json' }, body: arriving([]) });
    expect(transformSseFrames(json, { keep: () => false })).to.equal(json);
  });

  it('keeps the usage the adapter read itself when it gives no tap', () => {
    const usage = Promise.resolve(null);
    const response = transformSseFrames({ ...streamed([]), usage }, { keep: () => true });
    expect(response.usage).to.equal(usage);
  });
});
