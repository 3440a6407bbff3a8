// What the editor commands take from the editor: the file's label, the text around the selection,
// the instruction the user types.
import * as vscode from 'vscode';
import { dialogs } from '../core/dialogs';
import type { EditorContext } from './messages';

/** Large selections are cut: the chat question and the API request have size limits. */
export const MAX_SELECTION_CHARS = 100_000;

export function fileLabel(doc: vscode.TextDocument): string {
  return doc.isUntitled ? doc.uri.path : vscode.workspace.asRelativePath(doc.uri, false);
}

export function contextOf(editor: vscode.TextEditor, range: vscode.Range): EditorContext {
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
export function fromLineStart(doc: vscode.TextDocument, range: vscode.Range): vscode.Range {
  const before = doc.lineAt(range.start.line).text.slice(0, range.start.character);
  return before.length > 0 && before.trim() === '' ? new vscode.Range(range.start.with({ character: 0 }), range.end) : range;
}

/** "Explain app.ts:12–30": the file and the selected lines (1-based; a last line not reached is left out). */
export function explainTitle(file: string, selection: vscode.Range): string {
  const first = selection.start.line + 1;
  const last = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1;
  return first === last ? vscode.l10n.t('Explain {0}:{1}', file, first) : vscode.l10n.t('Explain {0}:{1}–{2}', file, first, last);
}

export async function instruction(arg: unknown, prompt: string, placeHolder: string): Promise<string | undefined> {
  // A string argument skips the input box (keybindings with args, automation, tests).
  if (typeof arg === 'string' && arg.trim()) return arg;
  const text = await dialogs.input({ prompt, placeHolder, ignoreFocusOut: true });
  return text?.trim() ? text : undefined;
}
