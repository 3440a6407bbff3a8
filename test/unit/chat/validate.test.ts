import * as assert from 'node:assert/strict';
import { describeRejected, LIMITS, parseWebviewMessage, WEBVIEW_MESSAGE_TYPES } from '../../../src/chat/validate';

describe('parseWebviewMessage', () => {
  it('accepts every well-formed message and rebuilds it', () => {
    const good: unknown[] = [
      { type: 'ready' },
      { type: 'send', text: 'hello' },
      { type: 'stop' },
      { type: 'regenerate' },
      { type: 'continue' },
      { type: 'setWebSearch', on: true },
      { type: 'setWebSearch', on: false },
      { type: 'editLast', text: 'again' },
      { type: 'newConversation' },
      { type: 'switchConversation', id: 'c-1a2b' },
      { type: 'renameConversation', id: 'c-1a2b', title: 'My title' },
      { type: 'deleteConversation', id: 'c-1a2b' },
      { type: 'draft', text: '' },
      { type: 'selectModel', model: 'moonshot-v1-8k' },
      { type: 'detachCache' },
      { type: 'code', action: 'copy', code: 'x = 1' },
      { type: 'code', action: 'insert', code: 'x = 1', language: 'python' },
      { type: 'code', action: 'replace', code: '', language: 'c++' },
      { type: 'action', action: 'setApiKey' },
      { type: 'action', action: 'retry' },
    ];
    for (const m of good) assert.deepEqual(parseWebviewMessage(m), m, JSON.stringify(m));
    // The examples cover every type the parsers (the one list of message types) know.
    assert.deepEqual(new Set(good.map((m) => (m as { type: string }).type)), new Set(WEBVIEW_MESSAGE_TYPES));
  });

  it('knows no type outside the list, not even an Object.prototype key', () => {
    for (const type of ['state', 'toString', '__proto__', 'constructor', 'hasOwnProperty']) assert.equal(parseWebviewMessage({ type }), undefined, type);
  });

  it('rejects wrong shapes, unknown types and extra fields', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'send',
      42,
      [],
      [{ type: 'ready' }],
      {},
      { type: 7 },
      { type: 'nope' },
      { type: 'ready', extra: 1 },
      { type: 'send' },
      { type: 'send', text: 5 },
      { type: 'send', text: '   ' },
      { type: 'send', text: 'hi', apiKey: 'sk-x' },
      { type: 'switchConversation', id: '../index' },
      { type: 'switchConversation', id: 'A_B' },
      { type: 'switchConversation', id: 'x'.repeat(65) },
      { type: 'renameConversation', id: 'c1', title: '   ' },
      { type: 'renameConversation', id: 'c1', title: 't'.repeat(LIMITS.title + 1) },
      { type: 'selectModel', model: '' },
      { type: 'continue', text: 'more' },
      { type: 'setWebSearch' },
      { type: 'setWebSearch', on: 'yes' },
      { type: 'selectModel', model: 'model with spaces' },
      { type: 'selectModel', model: 'm'.repeat(LIMITS.model + 1) },
      { type: 'code', action: 'run', code: 'rm -rf /' },
      { type: 'code', action: 'copy' },
      { type: 'code', action: 'copy', code: 'x', language: '<script>' },
      { type: 'action', action: 'workbench.action.terminal.new' },
      { type: '__proto__' },
      { type: 'toString' },
    ];
    for (const m of bad) assert.equal(parseWebviewMessage(m), undefined, JSON.stringify(m));
  });

  it('caps sizes', () => {
    assert.ok(parseWebviewMessage({ type: 'send', text: 'a'.repeat(LIMITS.text) }));
    assert.equal(parseWebviewMessage({ type: 'send', text: 'a'.repeat(LIMITS.text + 1) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'draft', text: 'a'.repeat(LIMITS.text + 1) }), undefined);
    assert.equal(parseWebviewMessage({ type: 'code', action: 'copy', code: 'a'.repeat(LIMITS.code + 1) }), undefined);
  });

  it('normalises whitespace in titles', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'renameConversation', id: 'c1', title: '  a \n b ' }), {
      type: 'renameConversation',
      id: 'c1',
      title: 'a b',
    });
  });

  it('does not carry inherited or prototype fields through', () => {
    const proto = { text: 'from prototype' };
    const m = Object.assign(Object.create(proto) as object, { type: 'send' });
    assert.equal(parseWebviewMessage(m), undefined);
  });

  it('describes rejected messages without their content', () => {
    const d = describeRejected({ type: 'send', text: 'secret text', extra: true });
    assert.match(d, /"send"/);
    assert.doesNotMatch(d, /secret text/);
    assert.equal(describeRejected(null), 'a null');
  });
});
