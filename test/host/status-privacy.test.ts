// What the token counts send, in a real extension host against the test
// server: secret-looking files and texts, excluded files and empty documents are never sent; a failed
// count shows the local estimate with the reason; a restored chat draft shows its count.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MockServer } from '../server';
import type { KimiApi } from '../../src/extension';
import type { HostMessage } from '../../src/chat/protocol';
import { chatApi, recordPosts, sleep } from './chat-support';
import { closeEditors, connectToTestServer, disconnect, kimiApi, scratchFolder, setUserSetting, waitFor } from './shell-support';

describe('trust: what the token counts send', () => {
  let api: KimiApi;
  let server: MockServer;
  const folder = scratchFolder('privacy-test');
  const open = folder.open;

  const countRequests = () => server.requests.filter((r) => r.path === '/v1/tokenizers/estimate-token-count');
  const sent = (needle: string) => countRequests().some((r) => JSON.stringify(r.body).includes(needle));
  const item = () => api.status.item;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
    await folder.create();
  });

  after(async () => {
    // Revert, so closing the untitled documents asks nothing.
    await closeEditors();
    await folder.remove();
    await disconnect(api, server);
  });


  it('sends an ordinary file for counting (the baseline)', async () => {
    await open('notes.md', 'ordinary notes to count');
    await waitFor(() => /^\$\(symbol-numeric\) \d+ tokens/.test(item().text), `an API count (is "${item().text}")`);
    assert.ok(sent('ordinary notes to count'));
  });

  for (const name of ['.env', 'server.pem', 'id_rsa', 'credentials']) {
    it(`never sends a file named ${name}: local estimate ≈ with the reason`, async () => {
      const secret = `SECRET_VALUE_${name.replace(/\W/g, '')}=hunter2-${Math.random()}`;
      await open(name, secret);
      await waitFor(() => item().text.includes('≈'), `a local estimate (is "${item().text}")`);
      assert.match(String(item().tooltip), /looks like keys or credentials/);
      await sleep(800); // longer than the debounce: a request would have been made by now
      assert.equal(sent(secret), false);
    });
  }

  it('never sends text containing a key, nor the user\'s own key', async () => {
    const doc = await vscode.workspace.openTextDocument({ content: 'const key = "sk-AbCdEfGhIjKlMnOpQrStUvWx12";', language: 'typescript' });
    await vscode.window.showTextDocument(doc);
    await waitFor(() => item().text.includes('≈'), `a local estimate (is "${item().text}")`);
    assert.match(String(item().tooltip), /looks like a key/);
    const own = await vscode.workspace.openTextDocument({ content: 'my key: sk-test-key, keep it safe', language: 'plaintext' });
    await vscode.window.showTextDocument(own);
    await waitFor(() => item().text.includes('≈') && /keep it safe|whole document/.test(String(item().tooltip)), 'a local estimate for the own key');
    await sleep(800);
    assert.equal(sent('sk-AbCdEfGhIjKlMnOpQrStUvWx12'), false);
    assert.equal(sent('keep it safe'), false);
  });

  it('never sends a file matched by kimi.tokenCount.exclude', async () => {
    await setUserSetting('kimi.tokenCount.exclude', ['**/privacy-test/private-*'], () => true);
    try {
      await open('private-plan.md', 'the private plan text');
      await waitFor(() => item().text.includes('≈'), `a local estimate (is "${item().text}")`);
      assert.match(String(item().tooltip), /kimi\.tokenCount\.exclude/);
      await sleep(800);
      assert.equal(sent('the private plan text'), false);
    } finally {
      await setUserSetting('kimi.tokenCount.exclude', undefined, () => true);
    }
  });

  it('counts an empty document as 0 tokens without a request', async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: '', language: 'plaintext' }));
    await waitFor(() => item().text.startsWith('$(symbol-numeric) 0 tokens'), `0 tokens (is "${item().text}")`);
    assert.doesNotMatch(item().text, /warning/);
    const before = countRequests().length;
    await sleep(800);
    assert.equal(countRequests().length, before);
  });

  it('shows the local estimate with the reason when counting fails, never a bare warning sign', async () => {
    server.fault({ kind: 'status', status: 400, message: 'content is invalid', match: '/v1/tokenizers', times: 5 });
    try {
      await open('fails.md', 'text the server refuses to count');
      await waitFor(() => item().text.includes('≈'), `a local estimate (is "${item().text}")`);
      assert.doesNotMatch(item().text, /warning/);
      assert.match(String(item().tooltip), /could not count the tokens \(.*content is invalid.*\); this is a local estimate/);
    } finally {
      server.reset();
    }
  });

  it('shows nothing and sends nothing with kimi.tokenCount "off"', async () => {
    await setUserSetting('kimi.tokenCount', 'off', () => true);
    try {
      const before = countRequests().length;
      await open('off.md', 'text while counting is off');
      await sleep(800);
      assert.equal(countRequests().length, before);
      assert.equal(sent('text while counting is off'), false);
    } finally {
      await setUserSetting('kimi.tokenCount', undefined, () => true);
    }
  });

  it('a restored chat draft shows its token count when the view loads again', async () => {
    const { controller } = await chatApi();
    controller.setDraft('a draft kept across a reload');
    const posts = recordPosts(controller);
    try {
      await waitFor(() => posts.messages.some((m) => m.type === 'draftTokens' && typeof m.count === 'number'), 'the draft count');
      posts.messages.length = 0;
      // What the webview sends when it loads again (after a reload it gets the draft in the state).
      await controller.handleMessage({ type: 'ready' });
      await waitFor(() => posts.messages.some((m) => m.type === 'conversation'), 'the conversation');
      await waitFor(() => posts.messages.some((m) => m.type === 'draftTokens' && typeof m.count === 'number' && m.count > 0), 'the restored draft\'s count');
    } finally {
      posts.dispose();
      controller.setDraft('');
    }
  });

  it('never sends a chat draft containing a key: local estimate with the reason', async () => {
    const { controller } = await chatApi();
    const posts = recordPosts(controller);
    try {
      controller.setDraft('please use -----BEGIN RSA PRIVATE KEY----- abc');
      await waitFor(() => posts.messages.some((m) => m.type === 'draftTokens' && m.estimated !== undefined), 'an estimated draft count');
      const m = posts.messages.find((x): x is Extract<HostMessage, { type: 'draftTokens' }> => x.type === 'draftTokens' && x.estimated !== undefined)!;
      assert.ok((m.count ?? 0) > 0);
      assert.match(m.estimated!, /looks like a key/);
      await sleep(800);
      assert.equal(sent('PRIVATE KEY'), false);
    } finally {
      posts.dispose();
      controller.setDraft('');
    }
  });
});
