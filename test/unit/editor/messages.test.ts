import * as assert from 'node:assert/strict';
import { CONTEXT_AFTER_CHARS, CONTEXT_BEFORE_CHARS, editMessages, explainPrompt, fenceFor, generateMessages } from '../../../src/editor/messages';
import { extractCode } from '../../../src/editor/code-extractor';

const ctx = { fileName: 'src/app.ts', languageId: 'typescript', before: 'const a = 1;\n', selected: 'let b = 2;', after: '\nexport {};\n' };

describe('editor messages', () => {
  it('sends the code around the cursor as context and the instruction alone as the question', () => {
    const m = generateMessages(ctx, 'add a logger');
    assert.equal(m.length, 2);
    assert.equal(m[0].role, 'system');
    const system = String(m[0].content);
    assert.ok(system.includes('src/app.ts') && system.includes('typescript'));
    assert.ok(system.includes('const a = 1;') && system.includes('export {};'));
    assert.ok(/exactly one fenced code block/.test(system));
    assert.deepEqual(m[1], { role: 'user', content: 'add a logger' });
  });

  it('includes the selection for Edit Selection', () => {
    const system = String(editMessages(ctx, 'rename b')[0].content);
    assert.ok(system.includes('The selected code:\n\n```typescript\nlet b = 2;\n```'));
  });

  it('keeps only the nearest context', () => {
    const long = { ...ctx, before: 'B'.repeat(CONTEXT_BEFORE_CHARS) + 'NEAR-BEFORE', after: 'NEAR-AFTER' + 'A'.repeat(CONTEXT_AFTER_CHARS) };
    const system = String(generateMessages(long, 'x')[0].content);
    assert.ok(system.includes('NEAR-BEFORE') && system.includes('NEAR-AFTER'));
    assert.ok(system.length < CONTEXT_BEFORE_CHARS + CONTEXT_AFTER_CHARS + 1000);
  });

  it('fences quoted code with a fence longer than any backtick run in it', () => {
    assert.equal(fenceFor('plain'), '```');
    assert.equal(fenceFor('a ```` b'), '`````');
    const tricky = 'before\n```\ninside\n```\nafter';
    const prompt = explainPrompt('README.md', 'markdown', tricky);
    // Reading the prompt back as Markdown gives the quoted text unchanged.
    assert.equal(extractCode(prompt).code, tricky);
  });
});
