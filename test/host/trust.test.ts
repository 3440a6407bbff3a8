// Trust around the key inside a real extension host: what the extension exposes, where a
// key may come from, who may plant one, and where it may be sent.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MockServer } from '../server';
import type { KimiApi } from '../../src/extension';
import { regionUrls } from '../../src/core/settings';
import { registerTestHook } from '../../src/core/test-hooks';
import { connectToTestServer, disconnect, kimiApi, scripted, setUserSetting, TEST_KEY, waitFor, withPrompts } from './shell-support';

describe('trust: the key', () => {
  let api: KimiApi;
  let server: MockServer | undefined;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
  });

  after(async () => {
    await disconnect(api, server);
  });

  it('runs the host suite in Test mode, the only mode with test hooks and an exported API', async () => {
    assert.equal(api.extensionMode, vscode.ExtensionMode.Test);
    assert.equal('regionUrls' in api, false, 'no writable endpoint table is exported');
    // getCommands(false): internal (underscore) commands included.
    const commands = await vscode.commands.getCommands(false);
    assert.ok(commands.includes('_kimi.chat.testApi'));
    assert.ok(commands.includes('_kimi.editor.testApi'));
    // The same registration in production or development registers nothing.
    for (const extensionMode of [vscode.ExtensionMode.Production, vscode.ExtensionMode.Development]) {
      const subscriptions: vscode.Disposable[] = [];
      assert.equal(registerTestHook({ extensionMode, subscriptions }, '_kimi.trustProbe', () => 1), false);
      assert.equal(subscriptions.length, 0);
    }
    assert.equal((await vscode.commands.getCommands(false)).includes('_kimi.trustProbe'), false);
  });

  it('Restricted Mode ignores workspace values of every setting that costs money or moves data; limits are declared', () => {
    const pkg = vscode.extensions.getExtension('kimi-vscode.kimi-vscode')!.packageJSON;
    const properties: Record<string, { scope?: string; maximum?: number; markdownDeprecationMessage?: string }> = pkg.contributes.configuration.properties;
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    // Every kimi.* setting a workspace could set decides cost or data flow, so all of them are listed
    // (application-scoped ones cannot come from a workspace at all).
    const workspaceSettable = Object.entries(properties).filter(([, p]) => p.scope !== 'application').map(([id]) => id);
    assert.deepEqual(workspaceSettable.filter((id) => !restricted.includes(id)), []);
    for (const id of ['kimi.model', 'kimi.maxTokens', 'kimi.maxRetries', 'kimi.requestTimeout', 'kimi.temperature', 'kimi.tokenCount', 'kimi.thinking', 'kimi.reasoningEffort']) {
      assert.ok(restricted.includes(id), id);
    }
    assert.equal(properties['kimi.maxTokens'].maximum, 131072);
    assert.equal(properties['kimi.maxRetries'].maximum, 5);
    assert.equal(properties['kimi.apiKey'].scope, 'application');
    assert.ok(properties['kimi.apiKey'].markdownDeprecationMessage);
  });

  it('keeps the endpoint table frozen', () => {
    assert.ok(Object.isFrozen(regionUrls));
    assert.throws(() => {
      (regionUrls as Record<string, string>).china = 'http://attacker.example/v1';
    }, TypeError);
    assert.equal(regionUrls.china, 'https://api.moonshot.cn/v1');
  });

  it('asks before storing a key passed as an argument, and stores nothing when refused', async () => {
    const { dialogs, shown } = scripted([], false);
    const checksBefore = server!.requests.filter((r) => r.path === '/v1/models').length;
    const saved = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', 'sk-planted-by-someone'));
    assert.equal(saved, false);
    assert.equal(shown.confirms.length, 1);
    assert.match(shown.confirms[0], /Use the API key sk-pl…eone for Kimi\?/);
    assert.equal(server!.requests.filter((r) => r.path === '/v1/models').length, checksBefore, 'the planted key was not even sent');
    assert.equal((await api.kimi.apiKey())?.key, TEST_KEY);
  });

  it('ignores kimi.apiKey in a workspace settings file: warns once naming the file, never writes it, keeps the stored key', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const content = '{\n  // a repository trying to choose the key\n  "kimi.apiKey": "sk-workspace-planted-key",\n  "kimi.maxTokens": 1234\n}\n';
    await vscode.workspace.fs.writeFile(file, Buffer.from(content));
    try {
      await waitFor(() => api.kimi.settings().maxTokens === 1234, 'the workspace settings file to be read');
      const { dialogs, shown } = scripted([]);
      await withPrompts(api, dialogs, async () => {
        await api.kimi.checkPlainKeys();
        await api.kimi.checkPlainKeys();
      });
      assert.equal(shown.warn.length, 1, 'warned once');
      assert.match(shown.warn[0], /\.vscode\/settings\.json sets kimi\.apiKey\. Kimi ignores it/);
      assert.equal(shown.confirms.length, 0);
      assert.equal((await api.kimi.apiKey())?.key, TEST_KEY);
      assert.equal(Buffer.from(await vscode.workspace.fs.readFile(file)).toString(), content, 'the file is untouched');
    } finally {
      await vscode.workspace.fs.delete(file);
      await waitFor(() => api.kimi.settings().maxTokens === undefined, 'the workspace settings file to be gone');
    }
  });

  it('replaces a stored key with a different user-level kimi.apiKey only after a modal confirmation', async () => {
    const config = () => vscode.workspace.getConfiguration('kimi');
    const declined = scripted([], false);
    await withPrompts(api, declined.dialogs, async () => {
      await config().update('apiKey', 'sk-user-setting-key', vscode.ConfigurationTarget.Global);
      await api.kimi.checkPlainKeys();
    });
    assert.ok(declined.shown.confirms.some((c) => /Replace your stored Kimi API key\?/.test(c)));
    assert.equal((await api.kimi.apiKey())?.key, TEST_KEY, 'declined: the stored key stays');
    assert.equal(config().inspect('apiKey')?.globalValue, 'sk-user-setting-key', 'declined: the setting stays too (nothing lost)');
    await config().update('apiKey', undefined, vscode.ConfigurationTarget.Global);

    const accepted = scripted([], true);
    await withPrompts(api, accepted.dialogs, async () => {
      await config().update('apiKey', 'sk-another-user-key', vscode.ConfigurationTarget.Global);
      await api.kimi.checkPlainKeys();
      await waitFor(async () => (await api.kimi.apiKey())?.key === 'sk-another-user-key', 'the confirmed key to be stored');
    });
    assert.equal(accepted.shown.confirms.filter((c) => /Replace your stored Kimi API key\?/.test(c)).length >= 1, true);
    assert.equal(config().inspect('apiKey')?.globalValue, undefined, 'moved out of the setting');
    await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', TEST_KEY));
    await waitFor(async () => (await api.kimi.apiKey())?.key === TEST_KEY, 'the test key back');
  });

  it('asks once before sending the key over plain http to another machine; a no sends nothing', async () => {
    const { dialogs, shown } = scripted([], false);
    // Yes to "use this key", no to sending anything over plain http.
    dialogs.confirm = async (message) => {
      shown.confirms.push(message);
      return /Use the API key/.test(message);
    };
    const insecure = 'http://kimi-declined.invalid:8080/v1?token=x';
    await withPrompts(api, dialogs, async () => {
      await setUserSetting('kimi.baseUrl', insecure, () => api.kimi.connection().baseUrl === insecure);
      const errors = await Promise.all([api.kimi.client(), api.kimi.client()].map((p) => p.then(() => undefined, (e: unknown) => e)));
      for (const e of errors) assert.match(api.kimi.describeError(e).message, /Not sent: kimi\.baseUrl \(http:\/\/kimi-declined\.invalid:8080\/v1\) is plain http/);
      // Set API Key does not send the key there either.
      assert.equal(await vscode.commands.executeCommand<boolean>('kimi.setApiKey', 'sk-some-other-key'), false);
    });
    assert.equal(shown.confirms.filter((c) => /unencrypted/.test(c)).length, 1, 'asked once');
    const question = shown.confirms.find((c) => /unencrypted/.test(c))!;
    assert.match(question, /kimi-declined\.invalid:8080\/v1\?$/);
    assert.doesNotMatch(question, /token/, 'shown without the query');

    const yes = scripted([], true);
    const allowed = 'http://kimi-allowed.invalid:8080/v1';
    await withPrompts(api, yes.dialogs, async () => {
      await setUserSetting('kimi.baseUrl', allowed, () => api.kimi.connection().baseUrl === allowed);
      assert.ok(await api.kimi.client());
      assert.ok(await api.kimi.client());
      await setUserSetting('kimi.baseUrl', server!.url, () => api.kimi.connection().baseUrl === server!.url);
    });
    assert.equal(yes.shown.confirms.filter((c) => /unencrypted/.test(c)).length, 1, 'a yes is remembered');
  });
});
