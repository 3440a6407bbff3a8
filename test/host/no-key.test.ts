// Commands run without a key, inside a real extension host: the service's one warning offers Set API
// Key, nothing else is shown, and the command resolves (the error does not escape to VS Code).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KimiApi } from '../../src/extension';
import { kimiApi, waitFor, withPrompts } from './shell-support';

describe('shell: commands without a key', () => {
  let api: KimiApi;

  before(async function () {
    api = await kimiApi();
    await withPrompts(api, { info: async () => undefined }, () => vscode.commands.executeCommand('kimi.clearApiKey'));
    await waitFor(async () => !(await api.kimi.hasApiKey()), 'no key (stored or MOONSHOT_API_KEY)');
  });

  const cases: Array<[string, string, unknown[]]> = [
    ['Select Model', 'kimi.selectModel', []],
    ['Create Context Cache', 'kimi.caches.create', [{ messages: [{ role: 'user', content: 'cache me' }], name: 'no-key test' }]],
  ];
  for (const [name, command, args] of cases) {
    it(`${name}: one warning offering Set API Key, and the command resolves`, async () => {
      const shown: string[] = [];
      const record = (kind: string) => async (message: string, ...actions: string[]) => {
        shown.push(`${kind}: ${message} [${actions.join(', ')}]`);
        return undefined;
      };
      const answers = { info: record('info'), warn: record('warn'), error: record('error'), input: async () => undefined, pick: async () => undefined };
      const result = await withPrompts(api, answers, () => Promise.resolve(vscode.commands.executeCommand(command, ...args)));
      assert.equal(result, undefined);
      assert.equal(shown.length, 1, `one notification, not: ${JSON.stringify(shown)}`);
      assert.match(shown[0], /^warn: No Kimi API key is set\..*\[Set API Key\]$/);
    });
  }
});
