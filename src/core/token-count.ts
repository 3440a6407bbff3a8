// What the status bar and the chat draft may send for counting (kimi.tokenCount), and how a local
// estimate explains itself: one rule for both.
import * as vscode from 'vscode';
import type { LocalReason } from '../shared/privacy';

const t = vscode.l10n.t;

export type TokenCountMode = 'selection' | 'document' | 'off';

export function tokenCountMode(): TokenCountMode {
  const v = vscode.workspace.getConfiguration('kimi').get<string>('tokenCount');
  return v === 'selection' || v === 'off' ? v : 'document';
}

/** The tooltip's explanation of a local estimate. */
export function localReasonText(reason: LocalReason, detail?: string): string {
  switch (reason) {
    case 'untrusted':
      return t('This workspace is not trusted (Restricted Mode), so nothing is sent to Kimi automatically; this is a local estimate.');
    case 'scheme':
      return t('This is not a file on disk or an untitled document, so it is not sent to Kimi; this is a local estimate.');
    case 'secretFile':
      return t('The file name looks like keys or credentials, so it is never sent to Kimi; this is a local estimate.');
    case 'excluded':
      return t('The file matches files.exclude or kimi.tokenCount.exclude, so it is not sent to Kimi; this is a local estimate.');
    case 'secretText':
      return t('The text contains something that looks like a key or a private key, so it is not sent to Kimi; this is a local estimate.');
    case 'tooLong':
      return t('The text is longer than Kimi sends for counting; this is a local estimate.');
    case 'failed':
      return t('Kimi could not count the tokens ({0}); this is a local estimate.', detail ?? '');
  }
}
