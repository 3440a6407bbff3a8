// Hooks for the host test suite. They exist only when VS Code runs the extension's tests
// (ExtensionMode.Test: the host was started with extensionTestsPath); in production and in the
// Extension Development Host nothing here is registered, so no other extension can reach them.
import * as vscode from 'vscode';

export function inTestMode(context: Pick<vscode.ExtensionContext, 'extensionMode'>): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test;
}

/** Registers an internal `_kimi.*` command handing host tests an object; does nothing outside Test mode. */
export function registerTestHook(context: Pick<vscode.ExtensionContext, 'extensionMode' | 'subscriptions'>, id: `_kimi.${string}`, get: () => unknown): boolean {
  if (!inTestMode(context)) return false;
  context.subscriptions.push(vscode.commands.registerCommand(id, get));
  return true;
}
