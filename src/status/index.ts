// The status-bar token count of the selection (or the whole document) for the current model.
// What may be sent for counting is decided by src/shared/privacy.ts (secret-looking files and texts, Restricted
// Mode, other schemes stay local) and by the kimi.tokenCount setting.
import * as vscode from 'vscode';
import { InvokeAuthorizationError } from '../kimi';
import type { KimiService } from '../core/service';
import { CountResult, CountSource, TokenCounter } from './counter';
import { statusText } from './format';
import { containsSecret, documentReason } from '../shared/privacy';
import { localReasonText, tokenCountMode, type TokenCountMode } from '../core/token-count';

export interface StatusHandle {
  item: vscode.StatusBarItem;
  counter: TokenCounter;
}

const t = vscode.l10n.t;

export function registerStatus(context: vscode.ExtensionContext, kimi: KimiService): StatusHandle {
  const item = vscode.window.createStatusBarItem('kimi.tokens', vscode.StatusBarAlignment.Right, 100);
  item.name = t('Kimi Token Count');
  const contextLengths = new Map<string, Promise<number | undefined>>();
  let what = '';
  // The document the item speaks about. Another document (or none) must not inherit its count: the
  // item would show a stale number, labelled as this document's, until the new count arrives.
  let countedDocument: string | undefined;
  let generation = 0;

  const counter = new TokenCounter(
    async (text, model, signal) => (await kimi.requireClientQuietly()).countTokens(model, [{ role: 'user', content: text }], { signal }),
    (result) => void show(result, generation),
  );

  /** Forgets which document is shown; a result still on its way for it is then dropped. */
  function dropShown(): void {
    countedDocument = undefined;
    generation++;
  }

  async function show(result: CountResult, shownGeneration: number): Promise<void> {
    let length = contextLengths.get(result.model);
    // Only ask the API for the window when the count itself came from it (a local estimate sends nothing).
    if (!length && result.kind === 'counted' && result.tokens > 0) contextLengths.set(result.model, (length = kimi.contextLength(result.model)));
    const window = await length;
    if (shownGeneration !== generation) return;
    item.text = statusText(result.tokens, window, result.kind === 'estimated', t);
    item.command = 'kimi.selectModel';
    if (result.kind === 'counted') {
      item.tooltip =
        result.tokens === 0
          ? t('{0} is empty: 0 tokens.', what)
          : t('Tokens in {0}, counted by the Kimi API for {1}. Click to choose the model.', what, result.model);
      return;
    }
    const detail = result.error === undefined ? undefined : kimi.describeError(result.error).message;
    item.tooltip = `${t('About {0} tokens in {1} ({2} characters).', result.tokens.toLocaleString('en-US'), what, result.chars.toLocaleString('en-US'))} ${localReasonText(result.reason, detail)}`;
    if (result.error instanceof InvokeAuthorizationError) item.command = 'kimi.setApiKey';
    else if (result.error !== undefined) item.command = 'kimi.showLog';
  }

  async function recount(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const mode = tokenCountMode();
    const source = editor && countable(editor.document) && mode !== 'off' ? sourceOf(editor, mode) : undefined;
    if (!editor || !source) {
      dropShown();
      item.hide();
      return;
    }
    const document = editor.document.uri.toString();
    if (document !== countedDocument) {
      // Set before any await, so the previous document's count is never on show for this one.
      dropShown();
      counter.forgetShown();
      countedDocument = document;
      item.text = '$(symbol-numeric) …';
      item.tooltip = t('Counting the tokens of {0}…', source.what);
      item.command = 'kimi.selectModel';
    }
    const key = await kimi.apiKey();
    // A later event has taken over (another editor became active meanwhile).
    if (editor !== vscode.window.activeTextEditor) return;
    if (!key) {
      generation++;
      counter.invalidate();
      item.text = t('$(key) Kimi: Set API Key');
      item.tooltip = t('Set a Moonshot API key to see token counts.');
      item.command = 'kimi.setApiKey';
      item.show();
      return;
    }
    const fileReason = documentReason({
      scheme: editor.document.uri.scheme,
      path: editor.document.uri.path,
      trusted: vscode.workspace.isTrusted,
      excluded: isExcluded(editor.document),
    });
    what = source.what;
    item.show();
    counter.update({ ...source, keepLocal: (text) => fileReason ?? (containsSecret(text, key.key) ? 'secretText' : undefined) }, kimi.settings().model);
  }

  context.subscriptions.push(
    item,
    { dispose: () => counter.dispose() },
    vscode.window.onDidChangeActiveTextEditor(() => void recount()),
    vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && void recount()),
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length > 0 && void recount()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void recount()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('files.exclude') && void recount()),
    // A model change needs no invalidation (counts are cached per model); another account does.
    kimi.onDidChange(() => void recount()),
    kimi.onDidChangeAccount(() => {
      contextLengths.clear();
      counter.invalidate();
      void recount();
    }),
  );
  void recount();
  return { item, counter };
}

function countable(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme !== 'output' && doc.uri.scheme !== 'vscode-scm' && doc.uri.scheme !== 'debug';
}

/** Matched by a `files.exclude` glob that is on, or by the user's `kimi.tokenCount.exclude` list. */
function isExcluded(doc: vscode.TextDocument): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const filesExclude = vscode.workspace.getConfiguration('files', doc.uri).get<Record<string, unknown>>('exclude') ?? {};
  const globs = [
    ...Object.entries(filesExclude)
      .filter(([, on]) => on === true)
      .map(([g]) => g),
    ...(vscode.workspace.getConfiguration('kimi').get<string[]>('tokenCount.exclude') ?? []).filter((g) => typeof g === 'string' && g.trim()),
  ];
  return globs.some((glob) =>
    // A glob for a folder excludes what is inside it too.
    [glob, `${glob.replace(/\/+$/, '')}/**`].some((g) => vscode.languages.match({ pattern: folder ? new vscode.RelativePattern(folder, g) : g }, doc) > 0),
  );
}

/** The selections' text, or (mode `document`) the whole document; lengths computed without copying the text. */
function sourceOf(editor: vscode.TextEditor, mode: TokenCountMode): (CountSource & { what: string }) | undefined {
  const doc = editor.document;
  const selections = editor.selections.filter((s) => !s.isEmpty);
  if (selections.length) {
    const length = selections.reduce((n, s) => n + doc.offsetAt(s.end) - doc.offsetAt(s.start), 0);
    return {
      length,
      text: () => selections.map((s) => doc.getText(s)).join('\n'),
      what: selections.length === 1 ? t('the selection') : t('{0} selections', selections.length),
    };
  }
  if (mode === 'selection') return undefined;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  return { length: doc.offsetAt(end), text: () => doc.getText(), what: t('the whole document') };
}
