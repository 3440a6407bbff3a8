// The status-bar token count of the selection (or the whole document) for the current model.
import * as vscode from 'vscode';
import { InvokeAuthorizationError } from '../kimi';
import type { KimiService } from '../config/service';
import { CHARS_PER_TOKEN_ESTIMATE, CountResult, CountSource, TokenCounter } from './counter';
import { statusText } from './format';

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
    if (result.kind === 'failed') {
      const d = kimi.describeError(result.error);
      item.text = '$(symbol-numeric) $(warning)';
      item.tooltip = t('Kimi could not count the tokens of {0}: {1}', what, d.message);
      item.command = result.error instanceof InvokeAuthorizationError ? 'kimi.setApiKey' : 'kimi.showLog';
      return;
    }
    let length = contextLengths.get(result.model);
    if (!length) contextLengths.set(result.model, (length = kimi.contextLength(result.model)));
    const window = await length;
    if (shownGeneration !== generation) return;
    item.text = statusText(result.tokens, window, result.kind === 'estimated', t);
    item.tooltip =
      result.kind === 'estimated'
        ? t('{0} has {1} characters, more than Kimi sends for counting; this is a local estimate (about {2} characters per token) for {3}. Click to choose the model.', what, result.chars.toLocaleString('en-US'), CHARS_PER_TOKEN_ESTIMATE, result.model)
        : t('Tokens in {0}, counted by the Kimi API for {1}. Click to choose the model.', what, result.model);
    item.command = 'kimi.selectModel';
  }

  async function recount(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !countable(editor.document)) {
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
      item.tooltip = t('Counting the tokens of {0}…', sourceOf(editor).what);
      item.command = 'kimi.selectModel';
    }
    const hasKey = await kimi.hasApiKey();
    // A later event has taken over (another editor became active meanwhile).
    if (editor !== vscode.window.activeTextEditor) return;
    if (!hasKey) {
      generation++;
      counter.invalidate();
      item.text = t('$(key) Kimi: Set API Key');
      item.tooltip = t('Set a Moonshot API key to see token counts.');
      item.command = 'kimi.setApiKey';
      item.show();
      return;
    }
    const source = sourceOf(editor);
    what = source.what;
    item.show();
    counter.update(source, kimi.settings().model);
  }

  context.subscriptions.push(
    item,
    { dispose: () => counter.dispose() },
    vscode.window.onDidChangeActiveTextEditor(() => void recount()),
    vscode.window.onDidChangeTextEditorSelection((e) => e.textEditor === vscode.window.activeTextEditor && void recount()),
    vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && e.contentChanges.length > 0 && void recount()),
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

/** The selections' text, or the whole document; lengths are computed without copying the text. */
function sourceOf(editor: vscode.TextEditor): CountSource & { what: string } {
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
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  return { length: doc.offsetAt(end), text: () => doc.getText(), what: t('the whole document') };
}
