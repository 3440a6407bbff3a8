// The account balance in the status-bar tooltip, inside a real extension host against the test
// server: asked for only after the API counted something, then shown, and not asked again soon.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MockServer } from '../server';
import type { KimiApi } from '../../src/extension';
import { sleep } from './chat-support';
import { closeEditors, connectToTestServer, disconnect, kimiApi, scratchFolder, waitFor } from './shell-support';

describe('shell: status-bar balance', () => {
  let api: KimiApi;
  let server: MockServer;
  const folder = scratchFolder('balance-test');
  const open = folder.open;

  const tooltip = () => String(api.status.item.tooltip);
  const firstIndex = (path: string) => server.requests.findIndex((r) => r.path === path);
  const balanceRequests = () => server.requests.filter((r) => r.path === '/v1/users/me/balance').length;

  before(async () => {
    api = await kimiApi();
    // No editor from an earlier suite may be counted before this suite's first document.
    await closeEditors();
    server = await connectToTestServer(api);
    await folder.create();
  });

  after(async () => {
    await closeEditors();
    await folder.remove();
    await disconnect(api, server);
  });


  it('asks for the balance only after the API counted something, then shows it', async () => {
    // A file that stays local: its tooltip is built, but nothing has been counted by the API yet.
    await open('.env', 'TOKEN=local-only-value');
    await waitFor(() => api.status.item.text.includes('≈'), `a local estimate (is "${api.status.item.text}")`);
    assert.doesNotMatch(tooltip(), /balance/i);

    await open('notes.txt', 'ordinary notes the API counts');
    await waitFor(() => tooltip().includes('Available balance: 49.59'), `the balance in the tooltip (is "${tooltip()}")`);
    assert.match(tooltip(), /counted by the Kimi API/);
    assert.equal(balanceRequests(), 1);
    // Not asked while only the local estimate was on show: the first count request came before it.
    const firstCount = firstIndex('/v1/tokenizers/estimate-token-count');
    assert.ok(firstCount >= 0 && firstCount < firstIndex('/v1/users/me/balance'), 'the balance was asked for after the first count');
  });

  it('does not ask again for the next counts (at most once per five minutes)', async () => {
    server.state.balance = { available_balance: 1.25, voucher_balance: 1.25, cash_balance: 0 };
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 0, 0, 8);
    await waitFor(() => /Tokens in the selection/.test(tooltip()), `a count of the selection (is "${tooltip()}")`);
    await sleep(500); // a new fetch would have reached the server by now
    assert.equal(balanceRequests(), 1);
    assert.match(tooltip(), /Available balance: 49\.59$/);
  });
});
