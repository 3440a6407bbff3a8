// Showing a failure to the user: one notification naming what failed, with buttons for the next steps.
import * as vscode from 'vscode';
import { Commands } from './ids';
import { dialogs } from './dialogs';
import { describeError, type ErrorAction, isCancellation } from './errors';

/** Shows `what: message` with buttons for the next steps; never waits for the user. Cancellation is quiet. */
export function showError(log: vscode.LogOutputChannel, err: unknown, what: string, retry?: () => unknown): void {
  if (isCancellation(err)) return;
  const d = describeError(err);
  log.error(`${what}: ${d.message}`);
  const labels: Record<ErrorAction, string> = {
    setApiKey: vscode.l10n.t('Set API Key'),
    retry: vscode.l10n.t('Retry'),
    showLog: vscode.l10n.t('Show Log'),
    selectModel: vscode.l10n.t('Select Model'),
  };
  const actions = d.actions.filter((a) => a !== 'retry' || retry);
  void dialogs.error(`${what}: ${d.message}`, ...actions.map((a) => labels[a])).then((choice) => {
    const action = actions.find((a) => labels[a] === choice);
    if (action === 'retry') void retry?.();
    else if (action === 'setApiKey') void vscode.commands.executeCommand(Commands.setApiKey);
    else if (action === 'selectModel') void vscode.commands.executeCommand(Commands.selectModel);
    else if (action === 'showLog') log.show(true);
  });
}
