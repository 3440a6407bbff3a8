// Editor commands: Explain Selection (answered in the chat panel), Generate at Cursor and Edit
// Selection (the answer's code streamed straight into the file).
import * as vscode from 'vscode';
import { registerTestHook } from '../core/test-hooks';
import { dialogs } from '../core/dialogs';
import type { ChatPanel } from '../core/chat-panel';
import { registerCommand } from '../core/command';
import { Commands, type CommandId } from '../core/ids';
import type { KimiService } from '../core/service';
import { editMessages, type EditorContext, explainPrompt, generateMessages } from './messages';
import { streamIntoEditor, type StreamEditResult } from './stream-edit';

/** Large selections are cut: the chat question and the API request have size limits. */
const MAX_SELECTION_CHARS = 100_000;

function fileLabel(doc: vscode.TextDocument): string {
  return doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false);
}

function contextOf(editor: vscode.TextEditor, range: vscode.Range): EditorContext {
  const doc = editor.document;
  const end = doc.lineAt(doc.lineCount - 1).range.end;
  return {
    fileName: fileLabel(doc),
    languageId: doc.languageId,
    before: doc.getText(new vscode.Range(new vscode.Position(0, 0), range.start)),
    selected: doc.getText(range),
    after: doc.getText(new vscode.Range(range.end, end)),
  };
}

/**
 * The model writes code with the indentation it needs, so a range that starts after only blanks
 * starts at the line's beginning instead (no doubled indentation).
 */
function fromLineStart(doc: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const before = doc.lineAt(range.start.line).text.slice(0, range.start.character);
  return before.length > 0 && before.trim() === '' ? new vscode.Range(range.start.with({ character: 0 }), range.end) : range;
}

/** "Explain app.ts:12–30": the file and the selected lines (1-based; a last line not reached is left out). */
export function explainTitle(file: string, selection: vscode.Range): string {
  const first = selection.start.line + 1;
  const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return first === last ? vscode.l10n.t('Explain {0}:{1}', file, first) : vscode.l10n.t('Explain {0}:{1}–{2}', file, first, last);
}

async function instruction(arg: unknown, prompt: string, placeHolder: string): Promise<string | undefined> {
  // A string argument skips the input box (keybindings with args, automation, tests).
  if (typeof arg === 'string' && arg.trim()) return arg;
  const text = await dialogs.input({ prompt, placeHolder, ignoreFocusOut: true });
  return text?.trim() ? text : undefined;
}

export interface EditorCommands {
  /** Cancels every insertion in progress (like their notifications' Cancel buttons). */
  cancelAll(): void;
  /** Every progress message the insertions show ("Thinking… 3 s", "120 characters"). */
  onDidReportProgress: vscode.Event<string>;
}

export function registerEditor(context: vscode.ExtensionContext, kimi: KimiService, chat: ChatPanel): EditorCommands {
  const running = new Set<vscode.CancellationTokenSource>();
  const progressShown = new vscode.EventEmitter<string>();
  context.subscriptions.push(progressShown);

  async function insert(kind: 'generate' | 'edit', arg: unknown): Promise<StreamEditResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void dialogs.info(vscode.l10n.t('Open a file in an editor first.'));
      return undefined;
    }
    const picked = kind === 'edit' ? new vscode.Range(editor.selection.start, editor.selection.end) : new vscode.Range(editor.selection.active, editor.selection.active);
    if (kind === 'edit' && picked.isEmpty) {
      void dialogs.info(vscode.l10n.t('Select the code to edit first.'));
      return undefined;
    }
    const text =
      kind === 'edit'
        ? await instruction(arg, vscode.l10n.t('How should Kimi change the selected code?'), vscode.l10n.t('e.g. add error handling'))
        : await instruction(arg, vscode.l10n.t('What should Kimi write at the cursor?'), vscode.l10n.t('e.g. a function that parses ISO dates'));
    if (!text) return undefined;
    const range = fromLineStart(editor.document, picked);
    const ctx = contextOf(editor, range);
    // Whole lines replaced, or code put in front of a line's text: keep the line break after it.
    const restOfLine = editor.document.lineAt(range.end.line).text.slice(range.end.character);
    const endWithNewline =
      (range.end.character === 0 && range.end.line > range.start.line) ||
      (kind === 'generate' && range.start.character === 0 && restOfLine.length > 0);
    const messages = kind === 'edit' ? editMessages(ctx, text) : generateMessages(ctx, text);
    const cancel = new vscode.CancellationTokenSource();
    running.add(cancel);
    try {
      const result = await streamIntoEditor({
        kimi,
        editor,
        range,
        messages,
        endWithNewline,
        title: kind === 'edit' ? vscode.l10n.t('Kimi is editing the selection') : vscode.l10n.t('Kimi is writing at the cursor'),
        cancel: cancel.token,
        onProgress: (m) => progressShown.fire(m),
      });
      report(result, fileLabel(editor.document), () => insert(kind, text));
      return result;
    } finally {
      running.delete(cancel);
      cancel.dispose();
    }
  }

  function report(result: StreamEditResult, file: string, retry: () => unknown): void {
    if (result.outcome === 'cancelled' && result.cancelledBy === 'close') {
      void dialogs.warn(vscode.l10n.t('Kimi stopped writing: {0} was closed before the code was complete.', file));
    } else if (result.outcome === 'noCode' && result.cutOff) {
      void dialogs.warn(
        vscode.l10n.t('The answer was cut off at the token limit before any code arrived (thinking models reason first). Raise kimi.maxTokens and try again.'),
      );
    } else if (result.outcome === 'error') {
      kimi.showError(result.error, vscode.l10n.t('Kimi could not write the code'), retry);
    } else if (result.outcome === 'noCode') {
      const show = vscode.l10n.t('Show Answer');
      void dialogs.info(vscode.l10n.t('Kimi answered without a code block, so nothing was inserted.'), show).then(async (choice) => {
        if (choice !== show) return;
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: result.answer });
        await vscode.window.showTextDocument(doc, { preview: true });
      });
    }
  }

  const command = (id: CommandId, run: (arg: unknown) => Promise<unknown>) => registerCommand(id, run, kimi, vscode.l10n.t('Kimi'));

  context.subscriptions.push(
    command(Commands.explainSelection, async () => {
      const editor = vscode.window.activeTextEditor;
      const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
      if (!editor || !selected.trim()) {
        void dialogs.info(vscode.l10n.t('Select the code you want explained first.'));
        return undefined;
      }
      const code = selected.length > MAX_SELECTION_CHARS ? selected.slice(0, MAX_SELECTION_CHARS) : selected;
      const file = fileLabel(editor.document);
      // An unrelated open conversation would be sent along (and billed): start one for this code.
      if (vscode.workspace.getConfiguration('kimi').get<boolean>('explainInNewConversation', true)) {
        const title = explainTitle(file, editor.selection);
        const conversation = await chat.newConversation({ title });
        // An empty conversation is reused as it is: give it this title too.
        if (conversation.title !== title) await chat.rename(conversation.id, title);
      }
      return chat.ask(explainPrompt(file, editor.document.languageId, code));
    }),
    command(Commands.generateAtCursor, (arg) => insert('generate', arg)),
    command(Commands.editSelection, (arg) => insert('edit', arg)),
    new vscode.Disposable(() => {
      for (const c of running) c.cancel();
    }),
  );
  const api: EditorCommands = {
    cancelAll: () => {
      for (const c of running) c.cancel();
    },
    onDidReportProgress: progressShown.event,
  };
  // Test mode only: lets host tests cancel like the Cancel button does.
  registerTestHook(context, '_kimi.editor.testApi', () => api);
  return api;
}
