// The one way a feature registers a command: errors are caught here once. "No key" is quiet (the
// service has already offered Set API Key), cancellation is quiet, anything else is shown with its
// next steps.
import * as vscode from 'vscode';
import { isCancellation, NoApiKeyError } from './errors';
import type { CommandId, ContextKey } from './ids';

export interface ErrorPresenter {
  showError(err: unknown, what: string, retry?: () => unknown): void;
}

// Command arguments come from VS Code (menus, keybindings, executeCommand): unknown by nature.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CommandRun = (...args: any[]) => unknown;

/** `what` names the failed action in the error ("Kimi chat: …"). The command resolves to undefined on failure. */
export function registerCommand(id: CommandId, run: CommandRun, errors: ErrorPresenter, what: string): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await run(...args);
    } catch (e) {
      if (!isQuietError(e)) errors.showError(e, what);
      return undefined;
    }
  });
}

export function isQuietError(e: unknown): boolean {
  return e instanceof NoApiKeyError || isCancellation(e);
}

export function setContext(key: ContextKey, value: unknown): Thenable<unknown> {
  return vscode.commands.executeCommand('setContext', key, value);
}
