// Every question and notification the extension shows goes through this one object, so host tests can
// answer input boxes and read messages (through the test API) while the real code paths run.
import * as vscode from 'vscode';

export interface PickOptions<T> extends vscode.QuickPickOptions {
  /** The row focused when the list opens, so Enter keeps it (showQuickPick always focuses the first). */
  active?: T;
}

/** One step of a multi-step input: the box shows "step/totalSteps" and, after the first, a Back button. */
export interface StepOptions extends vscode.InputBoxOptions {
  step: number;
  totalSteps: number;
}

/** A step's answer: the accepted value, Back, or undefined when cancelled (Escape, focus lost). */
export type StepAnswer = string | { back: true } | undefined;

export interface Dialogs {
  input(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  step(options: StepOptions): Thenable<StepAnswer>;
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
  step: (options) => showStep(options),
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

/** An input box that validates as the user types and accepts only a valid value. */
function showStep(options: StepOptions): Promise<StepAnswer> {
  const box = vscode.window.createInputBox();
  Object.assign(box, {
    title: options.title,
    step: options.step,
    totalSteps: options.totalSteps,
    value: options.value ?? '',
    prompt: options.prompt,
    placeholder: options.placeHolder,
    ignoreFocusOut: options.ignoreFocusOut ?? false,
    buttons: options.step > 1 ? [vscode.QuickInputButtons.Back] : [],
  });
  const check = async (value: string) => (await options.validateInput?.(value)) ?? undefined;
  return new Promise<StepAnswer>((resolve) => {
    box.onDidChangeValue(async (value) => {
      const message = await check(value);
      if (box.value === value) box.validationMessage = message;
    });
    box.onDidAccept(async () => {
      const value = box.value;
      const message = await check(value);
      box.validationMessage = message;
      if (message || box.value !== value) return;
      resolve(value);
      box.hide();
    });
    box.onDidTriggerButton((button) => {
      if (button !== vscode.QuickInputButtons.Back) return;
      resolve({ back: true });
      box.hide();
    });
    box.onDidHide(() => {
      resolve(undefined);
      box.dispose();
    });
    box.show();
    // A preset value is checked at once, as showInputBox does.
    void check(box.value).then((message) => (box.validationMessage = message));
  });
}
