// Shared by the chat and editor host tests: the chat controller and view provider (through the
// extension's internal test command), and small helpers to watch what the host posts to the view.
import * as vscode from 'vscode';
import type { ChatController } from '../../src/chat/controller';
import type { HostMessage } from '../../src/chat/protocol';
import type { ChatViewProvider } from '../../src/chat/view';
import type { EditorCommands } from '../../src/editor';

export async function chatApi(): Promise<{ controller: ChatController; provider: ChatViewProvider }> {
  const api = await vscode.commands.executeCommand<{ controller: ChatController; provider: ChatViewProvider }>('_kimi.chat.testApi');
  await api.controller.ready();
  return api;
}

export async function editorApi(): Promise<EditorCommands> {
  return vscode.commands.executeCommand<EditorCommands>('_kimi.editor.testApi');
}

/** Records every message the host posts to the chat view until disposed. */
export function recordPosts(controller: ChatController): { messages: HostMessage[]; dispose(): void } {
  const messages: HostMessage[] = [];
  const sub = controller.onDidPostMessage((m) => messages.push(m));
  return { messages, dispose: () => sub.dispose() };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
