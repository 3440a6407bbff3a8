// What the status bar counts in an editor: the selections, or the whole document, unless the file is
// excluded or not a text the user edits.
import * as vscode from 'vscode';
import type { CountSource } from './counter';
import type { TokenCountMode } from '../core/token-count';

const t = vscode.l10n.t;

export type StatusSource = CountSource & { what: string };

export function countable(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme !== 'output' && doc.uri.scheme !== 'vscode-scm' && doc.uri.scheme !== 'debug';
}

/** Matched by a `files.exclude` glob that is on, or by the user's `kimi.tokenCount.exclude` list. */
export function isExcluded(doc: vscode.TextDocument): boolean {
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
export function sourceOf(editor: vscode.TextEditor, mode: TokenCountMode): StatusSource | undefined {
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
