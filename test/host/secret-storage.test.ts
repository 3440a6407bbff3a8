// When VS Code's secret storage fails (no keyring on Linux, say), the key store must say why and what to
// do, and fall back to MOONSHOT_API_KEY, never fail silently. The store runs in the real host here,
// over a SecretStorage whose every call fails as a missing keyring does.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { describeError } from '../../src/core/errors';
import { ApiKeyStore, SecretStorageError } from '../../src/core/key';

class BrokenKeyring implements vscode.SecretStorage {
  private readonly changed = new vscode.EventEmitter<vscode.SecretStorageChangeEvent>();
  readonly onDidChange = this.changed.event;
  calls = 0;
  private fail(): never {
    this.calls++;
    throw new Error('Cannot create an item in a locked collection');
  }
  async get(): Promise<string | undefined> {
    this.fail();
  }
  async store(): Promise<void> {
    this.fail();
  }
  async delete(): Promise<void> {
    this.fail();
  }
  async keys(): Promise<string[]> {
    this.fail();
  }
}

describe('shell: secret storage that fails', () => {
  const log = vscode.window.createOutputChannel('Kimi secret-storage test', { log: true });
  const envKey = process.env.MOONSHOT_API_KEY;
  after(() => {
    log.dispose();
    if (envKey === undefined) delete process.env.MOONSHOT_API_KEY;
    else process.env.MOONSHOT_API_KEY = envKey;
  });

  it('reports a failed read once, with the cause and the way out, and falls back to MOONSHOT_API_KEY', async () => {
    process.env.MOONSHOT_API_KEY = 'sk-from-environment';
    const reported: SecretStorageError[] = [];
    const keyring = new BrokenKeyring();
    const store = new ApiKeyStore(keyring, log, (e) => reported.push(e));
    assert.deepEqual(await store.get(), { key: 'sk-from-environment', source: 'environment' });
    assert.deepEqual(await store.get(), { key: 'sk-from-environment', source: 'environment' });
    assert.equal(keyring.calls, 2, 'each read tries the keyring again');
    assert.equal(reported.length, 1, 'the user is told once, not on every read');
    const told = describeError(reported[0]);
    assert.match(told.message, /locked collection/, 'the cause');
    assert.match(told.message, /keyring/);
    assert.match(told.message, /MOONSHOT_API_KEY/, 'the way out');
    assert.deepEqual(told.actions, ['showLog']);
  });

  it('fails a save with a SecretStorageError that names the cause', async () => {
    const store = new ApiKeyStore(new BrokenKeyring(), log);
    await assert.rejects(store.store('sk-new-key'), (e: unknown) => e instanceof SecretStorageError && e.operation === 'store' && /locked collection/.test(e.message));
    await assert.rejects(store.clear(), (e: unknown) => e instanceof SecretStorageError && e.operation === 'delete');
  });
});
