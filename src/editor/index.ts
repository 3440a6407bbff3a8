// Editor commands: Explain Selection (answered in the chat panel), Generate at Cursor and Edit
// Selection (the answer's code streamed straight into the file).
import * as vscode from 'vscode';
import type { ChatPanel } from '../core/chat-panel';
import { registerCommand } from '../core/command';
import { dialogs } from '../core/dialogs';
import { Disposable } from '../core/disposable';
import { Commands, type CommandId } from '../core/ids';
import type { KimiService } from '../core/service';
import { registerTestHook } from '../core/test-hooks';
import { editMessages, explainPrompt, generateMessages } from './messages';
import { reportOutcome } from './outcome';
import { contextOf, explainTitle, fileLabel, fromLineStart, instruction, MAX_SELECTION_CHARS } from './selection';
import type { StreamEditResult } from './stream-edit';

type InsertKind = 'generate' | 'edit';

export interface EditorCommands {
  /** Cancels every insertion in progress (like their notifications' Cancel buttons). */
  cancelAll(): void;
  /** Every progress message the insertions show ("Thinking… 3 s", "120 characters"). */
  onDidReportProgress: vscode.Event<string>;
}

class KimiEditorCommands extends Disposable implements EditorCommands {
  private readonly running = new Set<vscode.CancellationTokenSource>();
  private readonly progressShown = this.register(new vscode.EventEmitter<string>());
  readonly onDidReportProgress = this.progressShown.event;

  constructor(
    private readonly kimi: KimiService,
    private readonly chat: ChatPanel,
  ) {
    super();
    const command = (id: CommandId, run: (arg: unknown) => Promise<unknown>) => this.register(registerCommand(id, run, kimi, vscode.l10n.t('Kimi')));
    command(Commands.explainSelection, () => this.explainSelection());
    command(Commands.generateAtCursor, (arg) => this.insert('generate', arg));
    command(Commands.editSelection, (arg) => this.insert('edit', arg));
    // Disposed first (newest first): nothing keeps writing into a file once the extension stops.
    this.register({ dispose: () => this.cancelAll() });
  }

  cancelAll(): void {
    for (const cancel of this.running) cancel.cancel();
  }

  private async explainSelection(): Promise<unknown> {
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
      const conversation = await this.chat.newConversation({ title });
      // An empty conversation is reused as it is: give it this title too.
      if (conversation.title !== title) await this.chat.rename(conversation.id, title);
    }
    return this.chat.ask(explainPrompt(file, editor.document.languageId, code));
  }

  private async insert(kind: InsertKind, arg: unknown): Promise<StreamEditResult | undefined> {
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
    const text = await askInstruction(kind, arg);
    if (!text) return undefined;
    const result = await this.stream(kind, editor, fromLineStart(editor.document, picked), text);
    reportOutcome(this.kimi, result, fileLabel(editor.document), () => this.insert(kind, text));
    return result;
  }

  private async stream(kind: InsertKind, editor: vscode.TextEditor, range: vscode.Range, text: string): Promise<StreamEditResult> {
    const context = contextOf(editor, range);
    // Whole lines replaced, or code put in front of a line's text: keep the line break after it.
    const restOfLine = editor.document.lineAt(range.end.line).text.slice(range.end.character);
    const endWithNewline =
      (range.end.character === 0 && range.end.line > range.start.line) || (kind === 'generate' && range.start.character === 0 && restOfLine.length > 0);
    const cancel = new vscode.CancellationTokenSource();
    this.running.add(cancel);
    try {
      // Loaded at the first insertion, not at activation (its own file in the production build).
      const { streamIntoEditor } = await import('./stream-edit');
      return await streamIntoEditor({
        kimi: this.kimi,
        editor,
        range,
        messages: kind === 'edit' ? editMessages(context, text) : generateMessages(context, text),
        endWithNewline,
        title: kind === 'edit' ? vscode.l10n.t('Kimi is editing the selection') : vscode.l10n.t('Kimi is writing at the cursor'),
        cancel: cancel.token,
        onProgress: (message) => this.progressShown.fire(message),
      });
    } finally {
      this.running.delete(cancel);
      cancel.dispose();
    }
  }
}

function askInstruction(kind: InsertKind, arg: unknown): Promise<string | undefined> {
  return kind === 'edit'
    ? instruction(arg, vscode.l10n.t('How should Kimi change the selected code?'), vscode.l10n.t('e.g. add error handling'))
    : instruction(arg, vscode.l10n.t('What should Kimi write at the cursor?'), vscode.l10n.t('e.g. a function that parses ISO dates'));
}

export function registerEditor(context: vscode.ExtensionContext, kimi: KimiService, chat: ChatPanel): EditorCommands {
  const commands = new KimiEditorCommands(kimi, chat);
  context.subscriptions.push(commands);
  // Test mode only: lets host tests cancel like the Cancel button does.
  registerTestHook(context, '_kimi.editor.testApi', () => commands);
  return commands;
}
