// "Kimi: Show Log" at the default level (info) shows one line per request: after one chat question,
// the Kimi output channel has its request line with status, milliseconds and the request id.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import type { MockServer } from '../server';
import { chatApi } from './chat-support';
import { connectToTestServer, disconnect, kimiApi, waitFor } from './shell-support';

/** The text of the Kimi output channel, as VS Code shows it (the channel's document, scheme `output`). */
function kimiLogText(): string | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /Kimi/i.test(d.uri.toString()));
  return doc?.getText();
}

describe('log: Show Log at the default level', () => {
  let api: KimiApi;
  let server: MockServer;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
  });

  after(async () => {
    await disconnect(api, server);
  });

  it('has the chat request line at info: method, path, status, ms, request id', async () => {
    assert.equal(api.kimi.log.logLevel, vscode.LogLevel.Info, 'the host runs the Kimi log at its default level');
    server.reset();
    const { controller } = await chatApi();
    await controller.newConversation();
    const turn = await controller.send('echo:one request, one log line');
    assert.equal(turn.status, 'done');
    const chat = server.requests.find((r) => r.path === '/v1/chat/completions');
    assert.ok(chat, 'the chat request reached the test server');
    await vscode.commands.executeCommand('kimi.showLog');
    const line = new RegExp(`\\[info\\] POST /v1/chat/completions → 200 in \\d+ ms request-id=${chat.requestId}`);
    await waitFor(() => line.test(kimiLogText() ?? ''), 'the request line in the Kimi log', 15_000).catch((e: Error) => {
      throw new Error(`${e.message}; the log reads:\n${kimiLogText() ?? '(no Kimi output document open)'}`);
    });
    // Bodies are for debug and trace: the question itself is not in the log at info.
    assert.ok(!kimiLogText()!.includes('one request, one log line'));
  });
});
