// Editor commands in a real extension host against the test server: Explain Selection in the chat,
// Generate at Cursor and Edit Selection streaming only the code into the file, in one undo step,
// with the user's concurrent typing intact, and Cancel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import type { Turn } from '../../src/chat/protocol';
import type { StreamEditResult } from '../../src/editor/stream-edit';
import { answerFor, type MockServer } from '../server';
import { DEFAULT_MAX_TOKENS_THINKING } from '../../src/kimi';

/** Faults apply to chat requests only (the status bar and the cache tree make requests too). */
const CHAT = '/v1/chat/completions';
import { chatApi, editorApi, sleep } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, scripted, setUserSetting, waitFor, withPrompts } from './shell-support';

const ORIGINAL = ['function first() {', '  return 1;', '}', '', 'function second() {', '  return 2;', '}', ''].join('\n');

async function openDoc(content = ORIGINAL, language = 'typescript'): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ language, content });
  return vscode.window.showTextDocument(doc);
}

async function undoOnce(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preserveFocus: false });
  const version = editor.document.version;
  await vscode.commands.executeCommand('undo');
  await waitFor(() => editor.document.version !== version, 'the undo to apply');
}

describe('editor commands in a real extension host', () => {
  let api: KimiApi;
  let server: MockServer;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    await setUserSetting('kimi.model', 'moonshot-v1-8k', () => api.kimi.settings().model === 'moonshot-v1-8k');
  });

  after(async function () {
    // Every test leaves a scratch document; closing each takes a while on a loaded machine.
    this.timeout(300_000);
    await setUserSetting('kimi.model', undefined, () => api.kimi.settings().model !== 'moonshot-v1-8k');
    // Close the scratch documents without a save prompt.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await disconnect(api, server);
  });

  beforeEach(() => server.reset());

  it('Explain Selection asks in the chat with the file name, language and code, and streams the answer there', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(4, 0, 6, 1);
    const { controller, provider } = await chatApi();
    const turn = await vscode.commands.executeCommand<Turn>('kimi.explainSelection');
    assert.equal(turn.status, 'done');
    const question = controller.conversation.turns.at(-2)!;
    assert.equal(question.role, 'user');
    assert.match(question.content, /Untitled-\d+/);
    assert.match(question.content, /typescript/);
    assert.ok(question.content.includes('```typescript\nfunction second() {\n  return 2;\n}\n```'), question.content);
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')!.body as { messages: Array<{ role: 'user'; content: string }> };
    assert.equal(turn.content, answerFor(sent.messages));
    assert.ok(provider.resolveCount > 0, 'the chat panel was revealed');
  });

  it('Generate at Cursor inserts only the code, at the cursor, in one undo step', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const answer = 'Sure! Here is the helper:\n\n```ts\nfunction middle() {\n  return 1.5;\n}\n```\n\nIt returns 1.5.';
    const result = await vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', `echo:${answer}`);
    assert.equal(result.outcome, 'done');
    const code = 'function middle() {\n  return 1.5;\n}';
    assert.equal(editor.document.getText(), ORIGINAL.replace('}\n\nfunction second', `}\n${code}\nfunction second`));
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')!.body as { messages: Array<{ role: string; content: string }> };
    assert.equal(sent.messages.at(-1)!.content, `echo:${answer}`, 'the instruction is the question');
    assert.equal(sent.messages[0].role, 'system');
    assert.ok(sent.messages[0].content.includes('function first()'), 'the code around the cursor goes along');
    await undoOnce(editor);
    assert.equal(editor.document.getText(), ORIGINAL, 'one undo removes the whole insertion');
  });

  it('Edit Selection replaces the selection with only the code, in one undo step', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(4, 0, 6, 1);
    const answer = 'Here you go:\n```typescript\nfunction second(): number {\n  return 2;\n}\n```\nDone.';
    const result = await vscode.commands.executeCommand<StreamEditResult>('kimi.editSelection', `echo:${answer}`);
    assert.equal(result.outcome, 'done');
    assert.equal(editor.document.getText(), ORIGINAL.replace('function second() {', 'function second(): number {'));
    const sent = server.requests.find((r) => r.path === '/v1/chat/completions')!.body as { messages: Array<{ content: string }> };
    assert.ok(sent.messages[0].content.includes('function second() {\n  return 2;\n}'), 'the selection goes along');
    await undoOnce(editor);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('Edit Selection of whole lines keeps the line break after the new code', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    const result = await vscode.commands.executeCommand<StreamEditResult>('kimi.editSelection', "echo:```ts\nfunction first() {\n  return 'one';\n}\n```");
    assert.equal(result.outcome, 'done');
    assert.equal(editor.document.getText(), ORIGINAL.replace('return 1;', "return 'one';"));
  });

  it('Generate at Cursor at the start of a line with text keeps that text on its own line', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(4, 0, 4, 0);
    await vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', 'echo:```ts\n// about second\n```');
    assert.equal(editor.document.getText(), ORIGINAL.replace('function second', '// about second\nfunction second'));
  });

  it('Generate at Cursor on an indented blank line does not double the indentation', async () => {
    const editor = await openDoc('function a() {\n    \n}\n');
    editor.selection = new vscode.Selection(1, 4, 1, 4);
    await vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', 'echo:```ts\n    return 1;\n```');
    assert.equal(editor.document.getText(), 'function a() {\n    return 1;\n}\n');
  });

  it('typing elsewhere while the code streams in corrupts neither text', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const lines = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`);
    const code = lines.join('\n');
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 50 });
    const doc = editor.document;
    const running = vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', `echo:\`\`\`ts\n${code}\n\`\`\``);
    await waitFor(() => doc.getText().includes('const v0'), 'the first code to arrive');
    // Typed like on a keyboard, at the top and at the end of the file, the cursor moved there in the
    // editor itself (an editor.edit or a position from here is outdated whenever a batch got in first).
    let typedTop = '';
    let typedBottom = '';
    let typedMidStream = 0;
    for (let i = 0; !doc.getText().includes('const v29 = 29;') && i < 200; i++) {
      await vscode.commands.executeCommand('cursorTop');
      await vscode.commands.executeCommand('type', { text: `t${i}` });
      await vscode.commands.executeCommand('cursorBottom');
      await vscode.commands.executeCommand('type', { text: `b${i}` });
      typedTop = `t${i}` + typedTop;
      typedBottom += `b${i}`;
      const text = doc.getText();
      // Landed while code was still to come: the later batches had to go in around it.
      if (text.startsWith(typedTop) && text.endsWith(typedBottom) && !text.includes('const v29 = 29;')) typedMidStream++;
      await sleep(20);
    }
    const result = await running;
    assert.equal(result.outcome, 'done');
    assert.ok(typedMidStream >= 1, `typed ${typedMidStream} times while the code was still streaming in`);
    const [head, tail] = ORIGINAL.split('\n\nfunction second');
    assert.equal(doc.getText(), `${typedTop}${head}\n${code}\nfunction second${tail}${typedBottom}`);
  });

  it('Cancel stops the request at once and keeps the code inserted so far (undoable in one step)', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const code = Array.from({ length: 200 }, (_, i) => `let x${i} = ${i};`).join('\n');
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 30 });
    const running = vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', `echo:\`\`\`js\n${code}\n\`\`\``);
    await waitFor(() => editor.document.getText().includes('let x1 ='), 'some code to arrive');
    (await editorApi()).cancelAll();
    const result = await running;
    assert.equal(result.outcome, 'cancelled');
    await waitFor(() => server.state.openStreams === 0, 'the server to see the disconnect');
    const text = editor.document.getText();
    const at = ORIGINAL.indexOf('\n\nfunction second') + 1;
    const inserted = text.slice(at, at + text.length - ORIGINAL.length);
    assert.equal(text.slice(0, at) + text.slice(at + inserted.length), ORIGINAL, 'the rest of the file is untouched');
    assert.ok(inserted.length > 0 && inserted.length < code.length, `a part of the code was inserted (${inserted.length} chars)`);
    assert.ok(code.startsWith(inserted), 'what was inserted is the start of the code');
    await undoOnce(editor);
    assert.equal(editor.document.getText(), ORIGINAL);
  });

  it('inserts nothing when the answer has no code block, and says so', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const { dialogs, shown } = scripted([]);
    const result = await withPrompts(api, dialogs, () =>
      vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', 'echo:I would rather not write code today.'),
    );
    assert.equal(result.outcome, 'noCode');
    assert.equal(editor.document.getText(), ORIGINAL);
    assert.ok(shown.info.some((m) => /without a code block/.test(m)), JSON.stringify(shown.info));
  });

  it('asks for the instruction in an input box when none is given; Escape there does nothing', async () => {
    const editor = await openDoc();
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const asked = scripted(['echo:```ts\nconst asked = true;\n```']);
    const result = await withPrompts(api, asked.dialogs, () => vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor'));
    assert.equal(result.outcome, 'done');
    assert.equal(asked.shown.inputs.length, 1);
    assert.ok(editor.document.getText().includes('}\nconst asked = true;\nfunction second'));
    const before = server.requests.length;
    const escaped = scripted([undefined]);
    const none = await withPrompts(api, escaped.dialogs, () => vscode.commands.executeCommand('kimi.editSelection'));
    assert.equal(none, undefined);
    assert.equal(server.requests.length, before, 'nothing was sent');
  });

  /** Starts a slow Generate at Cursor of many short lines at line 3; resolves once code has arrived. */
  async function startSlowInsert(editor: vscode.TextEditor, lines = 120, chunkDelayMs = 30) {
    editor.selection = new vscode.Selection(3, 0, 3, 0);
    const code = Array.from({ length: lines }, (_, i) => `let x${i} = ${i};`).join('\n');
    server.fault({ match: CHAT, kind: 'slow', chunkDelayMs });
    const running = vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', `echo:\`\`\`js\n${code}\n\`\`\``);
    await waitFor(() => editor.document.getText().includes('let x1 ='), 'some code to arrive');
    return { code, running };
  }

  it('closing the document during Generate at Cursor cancels the request and says so', async () => {
    const editor = await openDoc();
    const { dialogs, shown } = scripted([]);
    const result = await withPrompts(api, dialogs, async () => {
      const { running } = await startSlowInsert(editor, 300);
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      return running;
    });
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.cancelledBy, 'close');
    assert.ok(shown.warn.some((m) => /was closed before the code was complete/.test(m)), JSON.stringify(shown));
    await waitFor(() => server.state.openStreams === 0, 'the server to see the disconnect');
  });

  it('switching tabs while the code streams in keeps the whole insertion one undo step', async () => {
    const editor = await openDoc();
    const doc = editor.document;
    const { code, running } = await startSlowInsert(editor);
    // Away and back while it streams, then away until it ends.
    const other = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'another tab' });
    await vscode.window.showTextDocument(other);
    await sleep(300);
    await vscode.window.showTextDocument(doc);
    await sleep(300);
    await vscode.window.showTextDocument(other);
    const result = await running;
    assert.equal(result.outcome, 'done');
    assert.equal(other.getText(), 'another tab', 'nothing went into the other tab');
    assert.equal(doc.getText(), ORIGINAL.replace('}\n\nfunction second', `}\n${code}\nfunction second`));
    const shownAgain = await vscode.window.showTextDocument(doc);
    await undoOnce(shownAgain);
    assert.equal(doc.getText(), ORIGINAL, 'one undo removes the whole insertion');
  });

  it('typing elsewhere in the file while the code streams in, then one undo removes only the whole insertion', async () => {
    const editor = await openDoc();
    const doc = editor.document;
    const { code, running } = await startSlowInsert(editor);
    // The user's cursor at the top of the file, typing like on a keyboard.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    let typed = '';
    for (let i = 0; i < 5; i++) {
      await vscode.commands.executeCommand('type', { text: `t${i}` });
      typed += `t${i}`;
      await sleep(100);
    }
    const result = await running;
    assert.equal(result.outcome, 'done');
    const withCode = typed + ORIGINAL.replace('}\n\nfunction second', `}\n${code}\nfunction second`);
    assert.equal(doc.getText(), withCode);
    await undoOnce(editor);
    assert.equal(doc.getText(), typed + ORIGINAL, 'one undo removes the whole insertion and keeps the typing');
  });

  describe('with a thinking model', () => {
    before(() => setUserSetting('kimi.model', 'kimi-k2-thinking', () => api.kimi.settings().model === 'kimi-k2-thinking'));
    after(() => setUserSetting('kimi.model', 'moonshot-v1-8k', () => api.kimi.settings().model === 'moonshot-v1-8k'));

    it('shows "Thinking… N s" while the model reasons, then inserts only the code of the answer', async () => {
      const editor = await openDoc();
      editor.selection = new vscode.Selection(3, 0, 3, 0);
      const messages: string[] = [];
      const sub = (await editorApi()).onDidReportProgress((m) => messages.push(m));
      server.fault({ match: CHAT, kind: 'slow', chunkDelayMs: 40 });
      const answer = 'Here:\n```ts\nconst thought = false;\n```';
      let result: StreamEditResult;
      try {
        result = await vscode.commands.executeCommand<StreamEditResult>('kimi.generateAtCursor', `echo:${answer}`);
      } finally {
        sub.dispose();
      }
      assert.equal(result.outcome, 'done');
      assert.equal(result.inserted, 'const thought = false;');
      assert.equal(editor.document.getText(), ORIGINAL.replace('}\n\nfunction second', '}\nconst thought = false;\nfunction second'));
      assert.ok(!/user asked|Markdown/.test(editor.document.getText()), 'no reasoning in the file');
      const thinking = messages.filter((m) => /^Thinking… \d+ s$/.test(m));
      assert.ok(thinking.length > 0 && messages[0] === thinking[0], `progress: ${JSON.stringify(messages)}`);
      const seconds = thinking.map((m) => Number(/\d+/.exec(m)![0]));
      assert.deepEqual(seconds, [...seconds].sort((a, b) => a - b), 'the elapsed time only grows');
      const sent = server.requests.find((r) => r.path === CHAT)!.body as { model: string; temperature?: number; max_tokens: number };
      assert.equal(sent.model, 'kimi-k2-thinking');
      assert.equal(sent.temperature, undefined, 'no sampling parameter to a fixed-sampling model');
      assert.equal(sent.max_tokens, DEFAULT_MAX_TOKENS_THINKING, 'room to think and answer');
    });
  });

  it('Explain Selection starts a new conversation titled after the file and lines (kimi.explainInNewConversation)', async () => {
    const editor = await openDoc();
    const { controller } = await chatApi();
    await controller.newConversation();
    await controller.send('echo:an unrelated chat');
    const unrelated = controller.conversation.id;
    editor.selection = new vscode.Selection(4, 0, 6, 1);
    const turn = await vscode.commands.executeCommand<Turn>('kimi.explainSelection');
    assert.equal(turn.status, 'done');
    assert.notEqual(controller.conversation.id, unrelated);
    assert.match(controller.conversation.title, /^Explain Untitled-\d+:5–7$/);
    assert.deepEqual(controller.conversation.turns.map((t) => t.role), ['user', 'assistant'], 'only the question and its answer');

    await setUserSetting('kimi.explainInNewConversation', false, () => vscode.workspace.getConfiguration('kimi').get('explainInNewConversation') === false);
    try {
      const explained = controller.conversation.id;
      editor.selection = new vscode.Selection(0, 0, 0, 5);
      await vscode.commands.executeCommand<Turn>('kimi.explainSelection');
      assert.equal(controller.conversation.id, explained, 'asked in the open conversation');
      assert.equal(controller.conversation.turns.length, 4);
    } finally {
      await setUserSetting('kimi.explainInNewConversation', undefined, () => vscode.workspace.getConfiguration('kimi').get('explainInNewConversation') === true);
    }
  });
});
