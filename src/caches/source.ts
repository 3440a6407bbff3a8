// What a new cache holds: a chat conversation, Explorer files, the selection or the active document.
import * as vscode from 'vscode';
import type { ChatMessage } from '../kimi/types';

const t = vscode.l10n.t;

export interface CacheSource {
  messages: ChatMessage[];
  name: string;
}

/** What to cache: a `{messages}` argument, Explorer files, else the selection or the active document. */
export async function sourceFrom(arg: unknown): Promise<CacheSource | undefined> {
  if (typeof arg === 'object' && arg !== null && Array.isArray((arg as { messages?: unknown }).messages)) {
    const a = arg as { messages: ChatMessage[]; name?: string };
    return { messages: a.messages, name: a.name ?? t('Conversation') };
  }
  const uris = (Array.isArray(arg) ? arg : [arg]).filter((u): u is vscode.Uri => u instanceof vscode.Uri);
  if (uris.length) {
    const decoder = new TextDecoder();
    const messages: ChatMessage[] = [];
    for (const uri of uris) {
      const text = decoder.decode(await vscode.workspace.fs.readFile(uri));
      messages.push({ role: 'system', content: `File: ${vscode.workspace.asRelativePath(uri)}\n\n${text}` });
    }
    const first = uris[0].path.split('/').pop() ?? 'file';
    return { messages, name: uris.length === 1 ? first : t('{0} and {1} more', first, uris.length - 1) };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const doc = editor.document;
  const selected = !editor.selection.isEmpty;
  const text = selected ? doc.getText(editor.selection) : doc.getText();
  if (!text.trim()) return undefined;
  const file = vscode.workspace.asRelativePath(doc.uri);
  const base = doc.uri.path.split('/').pop() || doc.uri.toString();
  return {
    messages: [{ role: 'system', content: `${selected ? t('Excerpt of {0}', file) : `File: ${file}`}\n\n${text}` }],
    name: selected ? t('{0} (selection)', base) : base,
  };
}
