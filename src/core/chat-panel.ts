// What another feature may ask of the chat panel. The chat feature implements it and extension.ts
// hands it over, so no feature imports the chat.
import type { ChatMessage } from '../kimi/types';
import type { CacheRef, Conversation, Turn } from '../shared/conversation';

export interface ChatPanel {
  /** The open conversation. */
  readonly conversation: Conversation;
  newConversation(init?: { title?: string }): Promise<Conversation>;
  rename(id: string, title: string): Promise<void>;
  /** Asks in the open conversation and shows the panel; resolves with the finished answer turn. */
  ask(prompt: string): Promise<Turn>;
  /** Starts a conversation that uses the cache or tag (with a model that can) and shows the panel. */
  chatWithCache(cache: CacheRef): Promise<Conversation>;
  /** The open conversation's questions and finished answers, as messages for a new context cache. */
  messagesForCache(): Promise<ChatMessage[]>;
}
