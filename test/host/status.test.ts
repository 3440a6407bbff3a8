// The status-bar token count inside a real extension host, against the test server's estimate endpoint.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { estimateTokens, type MockServer } from '../server';
import type { KimiApi } from '../../src/extension';
import { connectToTestServer, disconnect, kimiApi, scripted, waitFor, withPrompts } from './shell-support';

describe('shell: status-bar token count', () => {
  let api: KimiApi;
  let server: MockServer;
  let editor: vscode.TextEditor;
  const text = 'The quick brown fox jumps over the lazy dog.\nSecond line with some more words in it.\n';

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    const doc = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    editor = await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await disconnect(api, server);
  });

  const expected = (t: string) => estimateTokens([{ role: 'user', content: t }]).toLocaleString('en-US');
  const countRequests = () => server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count');

  it('shows the count of the whole document with the share of the model\'s window', async () => {
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const want = `$(symbol-numeric) ${expected(text)} tokens · <1% of 256K`;
    await waitFor(() => api.status.item.text === want, `status text "${want}" (is "${api.status.item.text}")`);
    // Counted here, not a number left over from an earlier document that happens to be the same.
    assert.ok(countRequests().some((r) => (r.body as { messages: { content: string }[] }).messages[0]?.content === text), 'the document was sent for counting');
    // kimi.model is empty here: the tooltip names the recommended model the server lists.
    const model = await api.kimi.resolveModel();
    assert.equal(model, 'kimi-k2.7-code');
    assert.ok(String(api.status.item.tooltip).includes(`whole document, counted by the Kimi API for ${model}`), String(api.status.item.tooltip));
    assert.equal(api.status.item.command, 'kimi.selectModel');
  });

  it('shows the count for a selection', async () => {
    editor.selection = new vscode.Selection(0, 4, 0, 19);
    const selected = editor.document.getText(editor.selection);
    assert.equal(selected, 'quick brown fox');
    const want = `$(symbol-numeric) ${expected(selected)} tokens · <1% of 256K`;
    await waitFor(() => api.status.item.text === want, `status text "${want}" (is "${api.status.item.text}")`);
    assert.match(String(api.status.item.tooltip), /selection/);
    const last = countRequests().at(-1);
    assert.deepEqual((last?.body as { messages: unknown }).messages, [{ role: 'user', content: 'quick brown fox' }]);
  });

  it('makes no request for text it has counted before', async () => {
    const before = countRequests().length;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await waitFor(() => api.status.item.text.startsWith(`$(symbol-numeric) ${expected(text)} tokens`), 'the document count again');
    editor.selection = new vscode.Selection(0, 4, 0, 19);
    await waitFor(() => api.status.item.text.startsWith(`$(symbol-numeric) ${expected('quick brown fox')} tokens`), 'the selection count again');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(countRequests().length, before);
  });

  it('counts nothing again when a setting that does not change the count changes', async () => {
    await waitFor(() => api.status.item.text.startsWith(`$(symbol-numeric) ${expected('quick brown fox')} tokens`), 'the selection count');
    const before = countRequests().length;
    await vscode.workspace.getConfiguration('kimi').update('temperature', 0.5, vscode.ConfigurationTarget.Global);
    try {
      await new Promise((r) => setTimeout(r, 900));
      assert.equal(countRequests().length, before);
    } finally {
      await vscode.workspace.getConfiguration('kimi').update('temperature', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('follows the model setting', async () => {
    await vscode.workspace.getConfiguration('kimi').update('model', 'moonshot-v1-8k', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(() => api.status.item.text.endsWith('of 8K'), `a count for moonshot-v1-8k (is "${api.status.item.text}")`);
      assert.equal((countRequests().at(-1)?.body as { model: string }).model, 'moonshot-v1-8k');
    } finally {
      await vscode.workspace.getConfiguration('kimi').update('model', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('offers to set a key when there is none', async () => {
    await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand('kimi.clearApiKey'));
    try {
      await waitFor(() => api.status.item.command === 'kimi.setApiKey', 'the status item to offer a key');
      assert.match(api.status.item.text, /Set API Key/);
    } finally {
      await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand('kimi.setApiKey', 'sk-test-key'));
    }
  });
});
