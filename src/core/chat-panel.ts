// What another feature may ask of the chat panel. The chat feature implements it and extension.ts
// hands it over, so no feature imports the chat.
import type { Conversation, Turn } from '../shared/conversation';

export interface ChatPanel {
  newConversation(init?: { title?: string }): Promise<Conversation>;
  rename(id: string, title: string): Promise<void>;
  /** Asks in the open conversation and shows the panel; resolves with the finished answer turn. */
  ask(prompt: string): Promise<Turn>;
}
