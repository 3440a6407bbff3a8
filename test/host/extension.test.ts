// The shell inside a real extension host: commands, the API key in SecretStorage, user-only
// connection settings, plain-setting key migration, Select Model; against the in-process test server.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startMockServer, type MockServer } from '../server';
import { connectToTestServer, disconnect, kimiApi, scripted, setUserSetting, TEST_KEY, waitFor, withPrompts } from './shell-support';
import type { KimiApi } from '../../src/extension';

const SHELL_COMMANDS = [
  'kimi.setApiKey',
  'kimi.clearApiKey',
  'kimi.selectModel',
  'kimi.showLog',
  'kimi.caches.refresh',
  'kimi.caches.create',
  'kimi.caches.createFromFiles',
  'kimi.caches.updateTtl',
  'kimi.caches.editMetadata',
  'kimi.caches.delete',
  'kimi.caches.copyId',
  'kimi.caches.open',
  'kimi.caches.addTag',
  'kimi.caches.loadMore',
  'kimi.tags.delete',
  'kimi.tags.openContent',
];

describe('shell: extension, key and settings', () => {
  let api: KimiApi;
  let server: MockServer | undefined;

  before(async () => {
    api = await kimiApi();
    server = await connectToTestServer(api);
  });

  after(async () => {
    await disconnect(api, server);
  });

  it('registers every shell command and every contributed command', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(SHELL_COMMANDS.filter((id) => !registered.has(id)), []);
    const contributed: string[] = vscode.extensions.getExtension('kimi-vscode.kimi-vscode')!.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });

  it('activates without loading the HTTP stack, which loads on the first request', () => {
    assert.ok(api.timing.activateMs > 0);
    assert.equal(api.timing.httpStackLoadedAtActivation, false);
    assert.equal(api.httpStackLoaded(), true, 'the key check loaded it');
  });

  it('checks the key with GET /v1/models and keeps it in secret storage', async () => {
    const check = server!.requests.find((r) => r.path === '/v1/models');
    assert.ok(check, 'the key was checked against the configured platform');
    assert.equal(check.headers.authorization, `Bearer ${TEST_KEY}`);
    assert.deepEqual(await api.kimi.apiKey(), { key: TEST_KEY, source: 'secretStorage' });
    assert.equal(await api.kimi.hasApiKey(), true);
  });

  it('refuses a key the platform rejects, and keeps the stored one', async () => {
    const { dialogs, shown } = scripted([]);
    const saved = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', 'sk-wrong-key'));
    assert.equal(saved, false);
    assert.equal(shown.error.length, 1);
    assert.match(shown.error[0], /401/);
    assert.equal((await api.kimi.apiKey())?.key, TEST_KEY);
  });

  it('on 401 tries the other platform and, when that one accepts the key, switches kimi.region', async () => {
    // Local servers stand in for platform.moonshot.cn and platform.moonshot.ai, each with its own keys.
    const china = await startMockServer({ apiKeys: ['sk-china-key'] });
    const international = await startMockServer({ apiKeys: ['sk-international-key'] });
    api.setRegionUrls({ china: china.url, international: international.url });
    await setUserSetting('kimi.baseUrl', undefined, () => api.kimi.connection().baseUrl === china.url);
    try {
      const { dialogs, shown } = scripted([]);
      const saved = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', 'sk-international-key'));
      assert.equal(saved, true);
      // Only the checks of this key count: the chat's model list may also ask the new endpoint.
      const checks = (s: MockServer) => s.requests.filter((r) => r.path === '/v1/models' && r.headers.authorization === 'Bearer sk-international-key');
      assert.equal(checks(china).length, 1, 'the configured platform was asked first');
      assert.equal(checks(international).length, 1, 'then the other one');
      assert.ok(checks(china)[0].at <= checks(international)[0].at);
      // First "use this key?" (it came as an argument), then the platform switch.
      assert.equal(shown.confirms.length, 2);
      assert.match(shown.confirms[0], /Use the API key/);
      assert.match(shown.confirms[1], /other Moonshot platform/);
      assert.equal(api.kimi.connection().region, 'international');
      assert.equal(api.kimi.connection().baseUrl, international.url);
      assert.equal((await api.kimi.apiKey())?.key, 'sk-international-key');
    } finally {
      api.setRegionUrls(undefined);
      await vscode.workspace.getConfiguration('kimi').update('region', undefined, vscode.ConfigurationTarget.Global);
      await setUserSetting('kimi.baseUrl', server!.url, () => api.kimi.connection().baseUrl === server!.url);
      await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', TEST_KEY));
      await china.close();
      await international.close();
    }
  });

  it('asks for the key in a password box when no argument is given', async () => {
    const { dialogs, shown } = scripted([(o) => (o.validateInput?.('has space') ? TEST_KEY : 'validation missing')]);
    const saved = await withPrompts(api, dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey'));
    assert.equal(saved, true);
    assert.equal(shown.inputs[0].password, true);
    assert.match(shown.info[0], /saved/);
  });

  it('clears the key, and sets it again', async () => {
    await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand('kimi.clearApiKey'));
    await waitFor(async () => !(await api.kimi.hasApiKey()), 'the key to be gone');
    assert.equal(api.kimi.connection().baseUrl, server!.url);
    assert.equal(await api.kimi.client(), undefined);
    const saved = await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand<boolean>('kimi.setApiKey', TEST_KEY));
    assert.equal(saved, true);
    await waitFor(async () => api.kimi.hasApiKey(), 'the key to be back');
  });

  it('moves a key from the plain kimi.apiKey setting into secret storage and removes the setting', async () => {
    await withPrompts(api, scripted([]).dialogs, () => vscode.commands.executeCommand('kimi.clearApiKey'));
    await waitFor(async () => !(await api.kimi.hasApiKey()), 'the key to be gone');
    const { dialogs, shown } = scripted([]);
    await withPrompts(api, dialogs, async () => {
      await vscode.workspace.getConfiguration('kimi').update('apiKey', 'sk-test-key', vscode.ConfigurationTarget.Global);
      await waitFor(() => vscode.workspace.getConfiguration('kimi').inspect('apiKey')?.globalValue === undefined, 'the setting to be removed');
      await waitFor(async () => (await api.kimi.apiKey())?.source === 'secretStorage', 'the key to be in secret storage');
    });
    assert.equal((await api.kimi.apiKey())?.key, TEST_KEY);
    assert.match(shown.info.join('\n'), /secret storage/);
  });

  it('ignores a workspace value for kimi.baseUrl (the key cannot be redirected by a repository)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the host test window has a folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const evil = 'http://127.0.0.1:9/v1';
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ 'kimi.baseUrl': evil, 'kimi.proxy': 'http://127.0.0.1:9', 'kimi.region': 'international', 'kimi.maxTokens': 1234 })));
    try {
      // kimi.maxTokens is a normal setting from the same file: once it applies, the file has been read.
      await waitFor(() => api.kimi.settings().maxTokens === 1234, 'the workspace settings file to be read');
      const connection = api.kimi.connection();
      assert.equal(connection.baseUrl, server!.url);
      assert.equal(connection.proxy, undefined);
      assert.equal(connection.region, 'china');
      // Only cache-list requests: the settings change also starts background requests (token counts).
      const listed = () => server!.requests.filter((r) => r.path.startsWith('/v1/caching')).length;
      const before = listed();
      const client = await api.kimi.requireClient();
      await client.listCaches();
      assert.equal(listed(), before + 1, 'the request went to the user-configured server');
    } finally {
      await vscode.workspace.fs.delete(file);
      await waitFor(() => api.kimi.settings().maxTokens === undefined, 'the workspace settings file to be gone');
    }
  });

  it('rebuilds the client when a setting changes, without a reload', async () => {
    const first = await api.kimi.client();
    await setUserSetting('kimi.maxRetries', 0, () => api.kimi.settings().maxRetries === 0);
    const second = await api.kimi.client();
    assert.notEqual(first, second);
    await setUserSetting('kimi.maxRetries', undefined, () => api.kimi.settings().maxRetries === 2);
  });

  it('selects a model from the live list, showing context lengths', async () => {
    let offered: Array<vscode.QuickPickItem & { id?: string }> = [];
    const picked = await withPrompts(
      api,
      {
        pick: async <T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>) => {
          offered = [...(await items)];
          return offered.find((i) => i.id === 'moonshot-v1-32k') as T | undefined;
        },
      },
      () => vscode.commands.executeCommand<string>('kimi.selectModel'),
    );
    assert.equal(picked, 'moonshot-v1-32k');
    assert.ok(offered.length >= 5);
    assert.match(offered.find((i) => i.id === 'moonshot-v1-32k')?.description ?? '', /^32K context\b/);
    await waitFor(() => api.kimi.settings().model === 'moonshot-v1-32k', 'kimi.model to change');
    await setUserSetting('kimi.model', undefined, () => api.kimi.configuredModel() === '');
  });

  it('Select Model opens on the current model: Enter keeps it', async () => {
    await setUserSetting('kimi.model', 'moonshot-v1-32k', () => api.kimi.configuredModel() === 'moonshot-v1-32k');
    const realPick = api.dialogs.pick;
    let opened = false;
    let settled = false;
    try {
      // The real quick pick, shown in the window; the test only learns that it was asked for.
      const result = withPrompts(api, { pick: (items, options) => ((opened = true), realPick(items, options)) }, () =>
        vscode.commands.executeCommand<string>('kimi.selectModel'));
      void result.then(() => (settled = true), () => (settled = true));
      await waitFor(() => opened, 'the model list to open');
      // Enter, as the user presses it (again until the list has reached the window).
      await waitFor(async () => {
        if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return settled;
      }, 'Enter to close the model list');
      assert.equal(await result, 'moonshot-v1-32k');
      assert.equal(api.kimi.configuredModel(), 'moonshot-v1-32k', 'Enter did not switch the model');
    } finally {
      if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await setUserSetting('kimi.model', undefined, () => api.kimi.configuredModel() === '');
    }
  });

  it('describes errors with the API message and the next step', async () => {
    server!.fault({ kind: 'status', status: 401, match: '/v1/caching' });
    const client = await api.kimi.requireClient();
    const error = await client.listCaches().then(
      () => undefined,
      (e: unknown) => e,
    );
    const d = api.kimi.describeError(error);
    assert.match(d.message, /Invalid Authentication/);
    assert.deepEqual(d.actions, ['setApiKey', 'showLog']);
    // A wait longer than the client's retry limit reaches the caller at once.
    server!.fault({ kind: 'status', status: 429, retryAfter: 90, match: '/v1/caching' });
    const limited = await (await api.kimi.requireClient()).listCaches().catch((e: unknown) => e);
    const described = api.kimi.describeError(limited);
    assert.match(described.message, /wait 90 s/);
    assert.ok(described.actions.includes('retry'));
    server!.reset();
  });
});
