// The SSE parser against the standard's rules, fed the same bytes split at every offset.
import * as assert from 'node:assert/strict';
import { SseParser, type SseEvent } from '../../../src/kimi/sse';

const encoder = new TextEncoder();

function parseAll(pieces: Uint8Array[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  for (const piece of pieces) out.push(...p.push(piece));
  out.push(...p.end());
  return out;
}

// Mixed line endings, a comment, multi-line data, an event name, an id, a field without a colon,
// a value without the optional space, CJK and emoji (3- and 4-byte UTF-8), and a BOM.
const STREAM =
  '\uFEFF: keep-alive comment\n' +
  'data: {"a":"你好"}\n\n' +
  'data:{"b":"😀 emoji"}\r\n\r\n' +
  'event: error\r' +
  'data: line one\r' +
  'data: line two\r\r' +
  'id: 7\n' +
  'data\n' +
  'data: after empty\n\n' +
  ':another comment\n' +
  'retry: 1000\n' +
  'data: 中文 and ascii 🎉\n\n' +
  'data: [DONE]\n\n' +
  'data: incomplete event without blank line';

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":"你好"}' },
  { event: 'message', data: '{"b":"😀 emoji"}' },
  { event: 'error', data: 'line one\nline two' },
  { event: 'message', data: '\nafter empty', id: '7' },
  { event: 'message', data: '中文 and ascii 🎉', id: '7' },
  { event: 'message', data: '[DONE]', id: '7' },
];

describe('SseParser', () => {
  const bytes = encoder.encode(STREAM);

  it('parses the whole stream in one piece', () => {
    assert.deepEqual(parseAll([bytes]), EXPECTED);
  });

  it('gives the same events when split at every byte offset', () => {
    for (let i = 0; i <= bytes.length; i++) {
      assert.deepEqual(parseAll([bytes.subarray(0, i), bytes.subarray(i)]), EXPECTED, `split at byte ${i}`);
    }
  });

  it('gives the same events when split at every pair of offsets', () => {
    for (let i = 0; i <= bytes.length; i += 3) {
      for (let j = i; j <= bytes.length; j++) {
        const got = parseAll([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
        assert.deepEqual(got, EXPECTED, `split at bytes ${i} and ${j}`);
      }
    }
  });

  it('gives the same events fed one byte at a time', () => {
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    assert.deepEqual(parseAll(pieces), EXPECTED);
  });

  it('treats CR then LF arriving in separate pieces as one line end', () => {
    const p = new SseParser();
    assert.deepEqual(p.pushText('data: x\r'), []);
    assert.deepEqual(p.pushText('\n\r'), [{ event: 'message', data: 'x' }]);
    assert.deepEqual(p.pushText('\n'), []);
    assert.equal(p.pending, false);
  });

  it('reports a buffered, unfinished event as pending and drops it at the end', () => {
    const p = new SseParser();
    p.pushText('data: half');
    assert.equal(p.pending, true);
    assert.deepEqual(p.end(), []);
  });
});
