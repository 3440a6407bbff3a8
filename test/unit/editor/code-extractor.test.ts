import * as assert from 'node:assert/strict';
import { CodeExtractor, extractCode } from '../../../src/editor/code-extractor';

/** Streams `text` through a fresh extractor in pieces cut at the given sizes (cycled). */
function streamed(text: string, sizes: number[]): { code: string; found: boolean } {
  const x = new CodeExtractor();
  let code = '';
  let i = 0;
  let k = 0;
  while (i < text.length) {
    const n = sizes[k++ % sizes.length];
    code += x.push(text.slice(i, i + n));
    i += n;
  }
  code += x.finish();
  return { code, found: x.foundCode };
}

function randomSizes(seed: number, count: number): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(1 + (s % 9));
  }
  return out;
}

describe('CodeExtractor', () => {
  const answer = [
    'Here is the function you asked for:',
    '',
    '```ts',
    'export function add(a: number, b: number): number {',
    '  return a + b; // ``` inside a line is not a fence',
    '}',
    '```',
    '',
    'It adds two numbers. Another block follows:',
    '```js',
    'console.log("not inserted");',
    '```',
  ].join('\n');
  const expected = 'export function add(a: number, b: number): number {\n  return a + b; // ``` inside a line is not a fence\n}';

  it('keeps only the first code block, without its last newline', () => {
    assert.deepEqual(extractCode(answer), { code: expected, found: true });
  });

  it('gives the same code whatever the delta boundaries', () => {
    for (const sizes of [[1], [2], [3], [7], [64], randomSizes(1, 50), randomSizes(42, 50)]) {
      assert.equal(streamed(answer, sizes).code, expected, `sizes ${sizes.slice(0, 5).join(',')}`);
    }
  });

  it('emits code while the line is still open (streaming, not line-buffered)', () => {
    const x = new CodeExtractor();
    assert.equal(x.push('Sure.\n```python\n'), '');
    assert.equal(x.push('print("hi'), 'print("hi');
    assert.equal(x.push('")\nx = 1'), '")\nx = 1');
    assert.equal(x.push('\n``'), '');
    assert.equal(x.push('`\nmore prose'), '');
    assert.equal(x.done, true);
    assert.equal(x.finish(), '');
  });

  it('holds back a line that may still become the closing fence, then releases it if not', () => {
    const x = new CodeExtractor();
    x.push('```\n');
    assert.equal(x.push('a\n``'), 'a');
    assert.equal(x.push('x'), '\n``x');
    assert.equal(x.push('\n```'), '');
    assert.equal(x.finish(), '');
  });

  it('takes tilde fences and needs a closing fence at least as long as the opening one', () => {
    assert.equal(extractCode('~~~~\na\n~~~\nb\n~~~~\nafter').code, 'a\n~~~\nb');
    assert.equal(extractCode('````md\n```\ninner\n```\n````').code, '```\ninner\n```');
  });

  it('removes the opening fence indentation from content lines', () => {
    assert.equal(extractCode('  ```\n  a\n    b\n c\n  ```').code, 'a\n  b\nc');
  });

  it('keeps CRLF line ends inside the block and drops the last one', () => {
    assert.equal(streamed('x\r\n```\r\na\r\nb\r\n```\r\n', [1]).code, 'a\r\nb');
    assert.equal(streamed('x\r\n```\r\na\r\nb\r\n```\r\n', [3, 5]).code, 'a\r\nb');
  });

  it('ends an unclosed block with the stream', () => {
    assert.equal(extractCode('```go\nfunc main() {\n}').code, 'func main() {\n}');
    assert.equal(streamed('```go\nfunc main() {\n}\n', [2]).code, 'func main() {\n}');
  });

  it('reports no code when the answer has no fence, and keeps that prose for a message', () => {
    const x = new CodeExtractor();
    assert.equal(x.push('I cannot help with that.\nSorry'), '');
    assert.equal(x.finish(), '');
    assert.equal(x.foundCode, false);
    assert.equal(x.proseBeforeCode, 'I cannot help with that.\nSorry');
  });

  it('does not treat a backtick info string containing a backtick as a fence', () => {
    assert.deepEqual(extractCode('```a`b\nnot code\n```\ncode\n```'), { code: 'code', found: true });
  });

  it('keeps an empty code block empty', () => {
    assert.deepEqual(extractCode('```\n```'), { code: '', found: true });
  });
});
