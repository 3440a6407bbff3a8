// Registers the chat panel and its commands; returns the controller the editor commands use.
import * as vscode from 'vscode';
import { registerTestHook } from '../core/test-hooks';
import { registerCommand } from '../core/command';
import { Commands, type CommandId } from '../core/ids';
import type { KimiService } from '../core/service';
import { ChatController } from './controller';
import { ConversationStore } from './store';
import { syncAcrossWindows } from './sync';
import { ChatViewProvider } from './view';

export type { ChatController } from './controller';

export function registerChat(context: vscode.ExtensionContext, kimi: KimiService): ChatController {
  const dir = vscode.Uri.joinPath(context.globalStorageUri, 'conversations').fsPath;
  const controller = new ChatController(kimi, new ConversationStore(dir, kimi.log));
  const provider = new ChatViewProvider(context.extensionUri, controller);
  const command = (id: CommandId, run: (...args: unknown[]) => unknown) => registerCommand(id, run, kimi, vscode.l10n.t('Kimi chat'));
  context.subscriptions.push(
    controller,
    syncAcrossWindows(controller, kimi.log),
    provider,
    command(Commands.chatNew, async () => {
      const conversation = await controller.newConversation();
      await controller.reveal(true);
      return conversation.id;
    }),
    command(Commands.chatStop, () => controller.stop()),
  );
  // Test mode only: lets host tests reach the controller and the view.
  registerTestHook(context, '_kimi.chat.testApi', () => ({ controller, provider }));
  return controller;
}
