// The extension as VS Code sees it: present, activated, its commands registered and its view
// container openable. Runs inside the real extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kimi-vscode.kimi-vscode';

describe('smoke: the extension in a real host', () => {
  it('is installed from this checkout and activates', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'kimi-vscode');
  });

  it('registers every command the manifest contributes', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed: string[] = extension.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 10, 'the manifest lists the commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('opens the Kimi view container and its views', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.kimi');
    // Focusing a view resolves it; an unknown view id makes this command reject.
    await vscode.commands.executeCommand('kimi.caches.focus');
    await vscode.commands.executeCommand('kimi.chat.focus');
  });

  it('reads the kimi.* settings with their manifest defaults', () => {
    const config = vscode.workspace.getConfiguration('kimi');
    assert.equal(config.inspect('maxTokens')?.defaultValue, null);
    assert.equal(config.inspect('model')?.defaultValue, '');
    assert.equal(config.inspect('thinking')?.defaultValue, 'auto');
    assert.equal(config.inspect('region')?.defaultValue, 'china');
  });
});
