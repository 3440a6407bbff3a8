// Features that need a newer VS Code than engines.vscode's floor are absent there, not broken: on a
// host without the language-model provider API (VS Code < 1.104, e.g. the 1.93 of the host-old suite)
// the extension activates without error and offers no Kimi language models.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kimi-vscode.kimi-vscode';

describe('vscode version: newer-only features on this host', () => {
  const lm = (vscode as unknown as { lm?: { registerLanguageModelChatProvider?: unknown } }).lm;
  const hasProviderApi = typeof lm?.registerLanguageModelChatProvider === 'function';

  it(`runs on VS Code ${vscode.version}, which engines.vscode claims`, async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const floor = /(\d+)\.(\d+)/.exec(extension.packageJSON.engines.vscode as string);
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(floor && (major > Number(floor[1]) || (major === Number(floor[1]) && minor >= Number(floor[2]))));
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  it('without the language-model provider API: activates, no error, no Kimi models', async function () {
    if (hasProviderApi) this.skip();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate(); // rejects if activation threw
    // Every other command still works: the ones the manifest contributes are registered.
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
    // selectChatModels exists since 1.90: no model of vendor "kimi" is offered.
    const select = (vscode as unknown as { lm?: { selectChatModels?: (s: object) => Thenable<unknown[]> } }).lm?.selectChatModels;
    if (select) assert.deepEqual(await select({ vendor: 'kimi' }), []);
  });
});
