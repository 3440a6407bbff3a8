// Every question and notification the extension shows goes through this one object, so host tests can
// answer input boxes and read messages (through the test API) while the real code paths run.
import * as vscode from 'vscode';

export interface PickOptions<T> extends vscode.QuickPickOptions {
  /** The row focused when the list opens, so Enter keeps it (showQuickPick always focuses the first). */
  active?: T;
}

export interface Dialogs {
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, options: PickOptions<T>): Thenable<T | undefined>;
  /** A modal question; true only when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Thenable<boolean>;
  /** A modal question about a normal step (no warning icon); true only when the user chose `action`. */
  question(message: string, detail: string, action: string): Thenable<boolean>;
  info(message: string, ...actions: string[]): Thenable<string | undefined>;
  warn(message: string, ...actions: string[]): Thenable<string | undefined>;
  error(message: string, ...actions: string[]): Thenable<string | undefined>;
}

export const defaultDialogs: Dialogs = {
  input: (options) => vscode.window.showInputBox(options),
  pick: (items, options) => (options.active ? pickWithActive(items, options.active, options) : vscode.window.showQuickPick(items, options)),
  confirm: async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  question: async (message, detail, action) =>
    (await vscode.window.showInformationMessage(message, { modal: true, detail }, action)) === action,
  info: (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  warn: (message, ...actions) => vscode.window.showWarningMessage(message, ...actions),
  error: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
};

/** The live dialogs; tests swap single members and restore them. */
export const dialogs: Dialogs = { ...defaultDialogs };

async function pickWithActive<T extends vscode.QuickPickItem>(items: readonly T[] | Thenable<readonly T[]>, active: T, options: vscode.QuickPickOptions): Promise<T | undefined> {
  const list = await items;
  const quickPick = vscode.window.createQuickPick<T>();
  Object.assign(quickPick, {
    title: options.title,
    placeholder: options.placeHolder,
    matchOnDescription: options.matchOnDescription ?? false,
    matchOnDetail: options.matchOnDetail ?? false,
    ignoreFocusOut: options.ignoreFocusOut ?? false,
  });
  // Items and the focused row are set before show(), so they reach the window together.
  quickPick.items = list;
  if (list.includes(active)) quickPick.activeItems = [active];
  return new Promise<T | undefined>((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0] ?? quickPick.activeItems[0]);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
    quickPick.show();
  });
}
