// What each (already validated) message from the webview asks the chat to do: one handler per
// message type, so a message type without a handler does not compile.
import * as vscode from 'vscode';
import { Commands } from '../core/ids';
import type { CodeAction, ErrorAction, WebviewMessage } from './protocol';

export type WebviewHandlers = { [K in WebviewMessage['type']]: (m: Extract<WebviewMessage, { type: K }>) => Promise<void> | void };

/** What the handlers need of the chat (the controller provides it; no import of it here). */
export interface ChatActions {
  showAll(): Promise<void>;
  refreshModels(): Promise<void>;
  send(text: string): Promise<unknown>;
  stop(): void;
  regenerate(): Promise<unknown>;
  continueLast(): Promise<unknown>;
  setWebSearch(on: boolean): Promise<void>;
  editLast(text: string): Promise<unknown>;
  newConversation(): Promise<unknown>;
  switchTo(id: string): Promise<unknown>;
  rename(id: string, title: string): Promise<void>;
  delete(id: string): Promise<void>;
  setDraft(text: string): void;
  selectModel(model: string): Promise<void>;
  detachCache(): Promise<void>;
  runCode(action: CodeAction, code: string): Promise<void>;
}

export function webviewHandlers(chat: ChatActions): WebviewHandlers {
  return {
    ready: async () => {
      await chat.showAll();
      void chat.refreshModels();
    },
    send: async (m) => void (await chat.send(m.text)),
    stop: () => chat.stop(),
    regenerate: async () => void (await chat.regenerate()),
    continue: async () => void (await chat.continueLast()),
    setWebSearch: (m) => chat.setWebSearch(m.on),
    editLast: async (m) => void (await chat.editLast(m.text)),
    newConversation: async () => void (await chat.newConversation()),
    switchConversation: async (m) => void (await chat.switchTo(m.id)),
    renameConversation: (m) => chat.rename(m.id, m.title),
    deleteConversation: (m) => chat.delete(m.id),
    draft: (m) => chat.setDraft(m.text),
    selectModel: (m) => chat.selectModel(m.model),
    detachCache: () => chat.detachCache(),
    code: (m) => chat.runCode(m.action, m.code),
    action: (m) => runErrorAction(chat, m.action),
  };
}

/** Calls the handler of `m`'s type. */
export async function handle(handlers: WebviewHandlers, m: WebviewMessage): Promise<void> {
  await (handlers[m.type] as (m: WebviewMessage) => Promise<void> | void)(m);
}

/** The next steps offered with an error map to fixed actions, never to a command id from the page. */
async function runErrorAction(chat: ChatActions, action: ErrorAction): Promise<void> {
  if (action === 'retry') await chat.regenerate();
  else if (action === 'setApiKey') await vscode.commands.executeCommand(Commands.setApiKey);
  else if (action === 'selectModel') await vscode.commands.executeCommand(Commands.selectModel);
  else if (action === 'detachCache') await chat.detachCache();
  else await vscode.commands.executeCommand(Commands.showLog);
}
