// What the user is told after Generate at Cursor or Edit Selection ended without code in the file.
import * as vscode from 'vscode';
import { dialogs } from '../core/dialogs';
import type { KimiService } from '../core/service';
import type { StreamEditResult } from './stream-edit';

export function reportOutcome(kimi: KimiService, result: StreamEditResult, file: string, retry: () => unknown): void {
  if (result.outcome === 'cancelled' && result.cancelledBy === 'close') {
    void dialogs.warn(vscode.l10n.t('Kimi stopped writing: {0} was closed before the code was complete.', file));
  } else if (result.outcome === 'noCode' && result.cutOff) {
    void dialogs.warn(
      vscode.l10n.t('The answer was cut off at the token limit before any code arrived (thinking models reason first). Raise kimi.maxTokens and try again.'),
    );
  } else if (result.outcome === 'error') {
    kimi.showError(result.error, vscode.l10n.t('Kimi could not write the code'), retry);
  } else if (result.outcome === 'noCode') {
    void offerAnswer(result.answer);
  }
}

async function offerAnswer(answer: string): Promise<void> {
  const show = vscode.l10n.t('Show Answer');
  const choice = await dialogs.info(vscode.l10n.t('Kimi answered without a code block, so nothing was inserted.'), show);
  if (choice !== show) return;
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: answer });
  await vscode.window.showTextDocument(doc, { preview: true });
}
