// Keeps this window's chat in step with the other VS Code windows sharing the conversation folder
// (global storage): a watcher refreshes the list and the open conversation when another window
// writes, and what the store cannot do silently is shown: an unreadable conversation file (with Open
// File / Delete) and a failing save (once; the conversation stays in memory).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { dialogs } from '../core/dialogs';
import type { ChatController } from './controller';
import type { StoreChange } from './store';

/** Windows write in bursts (a conversation, then the index): take them in together. */
const REFRESH_DELAY_MS = 150;

export function syncAcrossWindows(controller: ChatController, log: { warn(m: string): void }): vscode.Disposable {
  const store = controller.store;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // The store folder is outside the workspace: a watcher with a folder base works there, and only
  // once the folder exists.
  fs.mkdirSync(store.dir, { recursive: true });
  const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(store.dir), '*.json'));
  // Before the chat's first use nothing is loaded or shown: ready() reads everything then.
  const started = () => (controller as { conversation?: unknown }).conversation !== undefined;
  const schedule = () => {
    if (!started()) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void store.refresh(), REFRESH_DELAY_MS);
  };
  watcher.onDidCreate(schedule);
  watcher.onDidChange(schedule);
  watcher.onDidDelete(schedule);

  const showing = new Set<string>();
  store.listener = {
    changed: (change) => void apply(controller, change).catch((e) => log.warn(`Could not show another window's conversation changes: ${String(e)}`)),
    unreadable: (file) => {
      if (showing.has(file.file)) return;
      showing.add(file.file);
      const open = vscode.l10n.t('Open File');
      const remove = vscode.l10n.t('Delete');
      const message = vscode.l10n.t('The conversation file {0} could not be read: {1}', path.basename(file.file), file.error);
      void Promise.resolve(dialogs.warn(message, open, remove))
        .then(async (choice) => {
          showing.delete(file.file);
          if (choice === open) await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file.file));
          else if (choice === remove) await controller.delete(file.id);
        })
        .catch((e) => log.warn(`Could not handle the unreadable conversation file: ${String(e)}`));
    },
    saveFailed: (conversation, error) => {
      const reason = error instanceof Error ? error.message : String(error);
      void dialogs.error(vscode.l10n.t('Could not save the conversation "{0}" ({1}). It stays open in this window, and Kimi saves it again at the next change.', conversation.title, reason));
    },
  };
  return new vscode.Disposable(() => {
    if (timer) clearTimeout(timer);
    watcher.dispose();
    store.listener = {};
  });
}

async function apply(controller: ChatController, change: StoreChange): Promise<void> {
  await controller.conversations.otherWindowChanged(change);
}
