// The panel's strings are localised like the host's: every t('…') in webview/ is in the l10n bundle
// (the file translators start from), and t() formats and falls back as vscode.l10n.t does.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../../..');
const webview = path.join(root, 'webview');

/** The t('…') literals of the webview sources (single-quoted, as the code writes them). */
function messages(): string[] {
  const found: string[] = [];
  for (const file of fs.readdirSync(webview).filter((f) => f.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(webview, file), 'utf8');
    for (const m of source.matchAll(/\bt\('((?:[^'\\]|\\.)*)'/g)) found.push(m[1]!.replace(/\\(.)/g, '$1'));
  }
  return found;
}

describe('webview strings and the l10n bundle', () => {
  it('every t() message of the panel is in l10n/bundle.l10n.json', () => {
    const bundle = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const list = messages();
    assert.ok(list.length > 40, `found ${list.length} messages`);
    assert.deepEqual(list.filter((m) => !Object.hasOwn(bundle, m)), []);
  });

  it('no visible label is left outside t() where the host names the same action', () => {
    const transcript = fs.readFileSync(path.join(webview, 'transcript.ts'), 'utf8');
    assert.doesNotMatch(transcript, /Choose Model/, 'the host says "Select Model"');
  });
});
