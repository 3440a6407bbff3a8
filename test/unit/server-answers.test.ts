// The test server's canned answers look like the product and stay deterministic: the messages the
// editor commands really send (src/editor/messages.ts) get code in the file's language or a short
// explanation; thinking models reason first; echo: still wins.
import * as assert from 'node:assert/strict';
import { editMessages, explainPrompt, generateMessages, type EditorContext } from '../../src/editor/messages';
import { nameFor } from '../server/product-answers';
import { startMockServer, type MockServer } from '../server';
import { call } from './server-support';

const ts: EditorContext = { fileName: 'src/math.ts', languageId: 'typescript', before: 'const a = 1;\n', selected: '', after: '\nexport {};\n' };

describe('test server: product-like answers', () => {
  let server: MockServer;
  before(async () => {
    server = await startMockServer();
  });
  after(() => server.close());
  const ask = async (model: string, messages: unknown[]) => (await call(server, 'POST', '/v1/chat/completions', { model, messages })).json.choices[0].message;

  it('Generate at Cursor gets one small code block in the file language, not the instruction', async () => {
    const m = await ask('moonshot-v1-8k', generateMessages(ts, 'sum a list of numbers'));
    assert.equal(m.content, '```typescript\n/** sum a list of numbers */\nexport function sumList(input: string): string {\n  return input.trim();\n}\n```\n');
    const py = await ask('moonshot-v1-8k', generateMessages({ ...ts, fileName: 'tool.py', languageId: 'python' }, 'parse the header'));
    assert.match(py.content, /^```python\ndef parse_header\(value: str\) -> str:\n/);
    const other = await ask('moonshot-v1-8k', generateMessages({ ...ts, fileName: 'q.sql', languageId: 'sql' }, 'count users'));
    assert.match(other.content, /^```sql\n-- count users\n/);
    assert.equal(nameFor('please do it'), 'do');
    assert.equal(nameFor('!!!'), 'helper');
  });

  it('Edit Selection gets the selected code back with the change noted, in the file language', async () => {
    const m = await ask('moonshot-v1-8k', editMessages({ ...ts, selected: 'function two() {\n  return 2;\n}' }, 'add types'));
    assert.equal(m.content, '```typescript\n// add types\nfunction two() {\n  return 2;\n}\n```\n');
  });

  it('Explain Selection gets a short explanation of the code', async () => {
    const m = await ask('moonshot-v1-8k', [{ role: 'user', content: explainPrompt('src/math.ts', 'typescript', 'function second() {\n  return 2;\n}') }]);
    assert.match(m.content, /^This typescript code from `src\/math.ts` is 3 lines long\.\n\nIt declares:\n\n- `second`: a function\n/);
    assert.match(m.content, /It returns `2`/);
  });

  it('thinking models reason about the task first; the code answer has no reasoning in it', async () => {
    const m = await ask('kimi-k2.7-code', generateMessages(ts, 'sum a list of numbers'));
    assert.match(m.reasoning_content, /new typescript code at the cursor in src\/math.ts/);
    assert.ok(!m.content.includes(m.reasoning_content));
    assert.match(m.content, /^```typescript\n/);
  });

  it('keeps echo: and the generic answer', async () => {
    assert.equal((await ask('moonshot-v1-8k', generateMessages(ts, 'echo:```ts\nx\n```'))).content, '```ts\nx\n```');
    assert.match((await ask('moonshot-v1-8k', [{ role: 'user', content: 'What is a closure?' }])).content, /^## Answer from the Kimi test server/);
  });
});
