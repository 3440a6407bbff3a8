// Small UI steps several cache commands share.
import * as vscode from 'vscode';
import { dialogs } from '../core/dialogs';
import { ViewCommands } from '../core/ids';
import type { CacheModel } from './model';

/** Expands and shows the Context Caches view (VS Code's own `<view id>.focus` command). */
export function showCachesView(): Thenable<unknown> {
  return vscode.commands.executeCommand(ViewCommands.focusCaches);
}

/** Says so when the last load found no caching here; true then. */
export function saidUnavailable(model: CacheModel): boolean {
  if (!model.unavailable) return false;
  void dialogs.info(vscode.l10n.t('Context caching is not available for this account or platform.'));
  return true;
}
