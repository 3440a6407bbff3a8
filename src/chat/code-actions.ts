// Copy, Insert at Cursor and Replace Selection for code blocks in answers. Focus is in the chat view
// when the user clicks, so the target is the text editor that was active last.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { dialogs } from '../core/dialogs';
import type { CodeAction } from './protocol';

/** Editors that show something the user edits (not output channels or other panels' documents). */
function isEditable(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  return !!editor && editor.document.uri.scheme !== 'output' && editor.document.uri.scheme !== 'vscode-scm';
}

export class CodeActions extends Disposable {
  private lastEditor: vscode.TextEditor | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    if (isEditable(vscode.window.activeTextEditor)) this.lastEditor = vscode.window.activeTextEditor;
    this.register(vscode.window.onDidChangeActiveTextEditor((e) => {
      if (isEditable(e)) this.lastEditor = e;
    }));
  }

  async run(action: CodeAction, code: string): Promise<boolean> {
    if (action === 'copy') {
      await vscode.env.clipboard.writeText(code);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Code copied'), 2000);
      return true;
    }
    const editor = await this.targetEditor();
    if (!editor) {
      void dialogs.info(vscode.l10n.t('Open a file in an editor first, then insert the code there.'));
      return false;
    }
    const ok = await editor.edit((b) => {
      if (action === 'insert') b.insert(editor.selection.active, code);
      else for (const s of editor.selections) b.replace(s, code);
    });
    if (!ok) this.log.warn(`Could not ${action} the code: the editor refused the edit.`);
    return ok;
  }

  /** The last active editor, brought back to the front (its TextEditor may have been replaced). */
  private async targetEditor(): Promise<vscode.TextEditor | undefined> {
    const active = vscode.window.activeTextEditor;
    if (isEditable(active)) return active;
    const last = this.lastEditor;
    if (!last || last.document.isClosed) return undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e === last);
    if (visible) return visible;
    const shown = await vscode.window.showTextDocument(last.document, { viewColumn: last.viewColumn, selection: last.selection });
    return shown;
  }
}
