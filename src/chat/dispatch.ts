// What each (already validated) message from the webview asks the controller to do.
import * as vscode from 'vscode';
import { Commands } from '../core/ids';
import type { ChatController } from './controller';
import type { ErrorAction, WebviewMessage } from './protocol';

export async function dispatch(chat: ChatController, m: WebviewMessage): Promise<void> {
  switch (m.type) {
    case 'ready':
      await chat.postState();
      void chat.refreshModels();
      return;
    case 'send':
      await chat.send(m.text);
      return;
    case 'stop':
      chat.stop();
      return;
    case 'regenerate':
      await chat.regenerate();
      return;
    case 'continue':
      await chat.continueLast();
      return;
    case 'setWebSearch':
      await chat.setWebSearch(m.on);
      return;
    case 'editLast':
      await chat.editLast(m.text);
      return;
    case 'newConversation':
      await chat.newConversation();
      return;
    case 'switchConversation':
      await chat.switchTo(m.id);
      return;
    case 'renameConversation':
      await chat.rename(m.id, m.title);
      return;
    case 'deleteConversation':
      await chat.delete(m.id);
      return;
    case 'draft':
      chat.setDraft(m.text);
      return;
    case 'selectModel':
      await chat.selectModel(m.model);
      return;
    case 'detachCache':
      await chat.detachCache();
      return;
    case 'code':
      await chat.code.run(m.action, m.code);
      return;
    case 'action':
      await runErrorAction(chat, m.action);
      return;
  }
}

/** The next steps offered with an error map to fixed actions, never to a command id from the page. */
async function runErrorAction(chat: ChatController, action: ErrorAction): Promise<void> {
  if (action === 'retry') await chat.regenerate();
  else if (action === 'setApiKey') await vscode.commands.executeCommand(Commands.setApiKey);
  else if (action === 'selectModel') await vscode.commands.executeCommand(Commands.selectModel);
  else if (action === 'detachCache') await chat.detachCache();
  else await vscode.commands.executeCommand(Commands.showLog);
}
