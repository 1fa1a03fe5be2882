import { describe, expect, it } from 'vitest';
import { encodeLine, type NdjsonLine, NdjsonDecoder } from '../../../src/core/ndjson.js';
import { MAX_PROBE_LINE_BYTES, parseProbeMessage, type ProbeMessage } from '../../../src/probe/protocol.js';

/** The probe's reader, as the probe and the daemon's probe server set it up. */
const probeDecoder = () => new NdjsonDecoder({ maxLineBytes: MAX_PROBE_LINE_BYTES });

/** What the probe's two ends act on: the parsed messages, or 'too-long' (they drop the connection); garbage is skipped. */
function readable(lines: NdjsonLine[]): unknown[] | 'too-long' {
  if (lines.some((line) => line.kind === 'too-long')) return 'too-long';
  return lines.flatMap((line) => (line.kind === 'message' ? [line.message] : []));
}

describe('the probe wire format', () => {
  it('is one JSON object per line, read back whole however the stream is cut', () => {
    const messages: ProbeMessage[] = [
      { t: 'hello', id: 3, pid: 1234, actions: ['dump'] },
      { t: 'metrics', metrics: { event_loop_delay_p50_ms: 0.12, 'custom.requests': 7 } },
      { t: 'answer', req: 1, ok: true, answer: { lines: ['a', 'b'] } },
    ];
    const text = messages.map(encodeLine).join('');
    expect(text.split('\n')).toHaveLength(4);
    for (const size of [1, 7, 64, text.length]) {
      const reader = probeDecoder();
      const got: unknown[] = [];
      for (let i = 0; i < text.length; i += size)
        got.push(...(readable(reader.push(text.slice(i, i + size))) as unknown[]));
      expect(got, `chunks of ${size}`).toEqual(messages);
    }
  });

  it('skips an unreadable line and goes on with the next', () => {
    const reader = probeDecoder();
    expect(readable(reader.push('{"t":"actions","actions":[]}\nnot json\n{"t":"act'))).toEqual([
      { t: 'actions', actions: [] },
    ]);
    expect(readable(reader.push('ions","actions":["x"]}\n'))).toEqual([{ t: 'actions', actions: ['x'] }]);
  });

  it('reports a line that grows past the limit instead of buffering it', () => {
    const reader = probeDecoder();
    expect(readable(reader.push('x'.repeat(MAX_PROBE_LINE_BYTES)))).toEqual([]);
    expect(readable(reader.push('xx'))).toBe('too-long');
  });
});

describe('what the daemon accepts from a probe', () => {
  it.each([
    [{ t: 'hello', id: 1, pid: 2, actions: [] }, true],
    [{ t: 'hello', id: '1', pid: 2, actions: [] }, false],
    [{ t: 'hello', id: 1, pid: 2, actions: [1] }, false],
    [{ t: 'metrics', metrics: { a: 1, b: 2.5 } }, true],
    [{ t: 'metrics', metrics: { a: 'x' } }, false],
    [{ t: 'metrics', metrics: { a: null } }, false],
    [{ t: 'metrics', metrics: [1] }, false],
    [{ t: 'answer', req: 1.5, ok: true }, false],
    [{ t: 'shutdown' }, false],
    [null, false],
    ['hello', false],
  ])('%j → accepted: %s', (value, accepted) => {
    expect(parseProbeMessage(value) !== null).toBe(accepted);
  });

  it("keeps a failed answer's error as text and whether the action was missing", () => {
    expect(parseProbeMessage({ t: 'answer', req: 4, ok: false, error: { weird: true }, missing: true })).toEqual({
      t: 'answer',
      req: 4,
      ok: false,
      error: '[object Object]',
      missing: true,
    });
  });
});
