// Every question and notification the extension shows goes through this one object, so host tests can
// answer input boxes and read messages (through the test API) while the real code paths run.
import * as vscode from 'vscode';

export interface Prompts {
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** A modal question; true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  /** A modal question about a normal step (no warning icon); true only when the user chose `action`. */
  question(message: string, detail: string, action: string): Thenable<boolean>;
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
}

export const defaultPrompts: Prompts = {
  input: (options) => vscode.window.showInputBox(options),
  pick: (items, options) => vscode.window.showQuickPick(items, options),
  confirm: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  question: async (message, detail, action) =>
    (await vscode.window.showInformationMessage(message, { modal: true, detail }, action)) === action,
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
};

/** The live prompts; tests swap single members and restore them. */
export const prompts: Prompts = { ...defaultPrompts };
