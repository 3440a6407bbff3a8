// What the host posts to the chat panel for each event the chat-open benchmark replays, as
// src/chat/conversations.ts sends it (showAll, settingsChanged, rename → postList).
import type { Conversation, HostMessage } from '../src/chat/protocol';
import { stateMessages } from '../test/e2e/panel-support';

const models: Extract<HostMessage, { type: 'models' }> = { type: 'models', models: [{ id: 'kimi-k2.6', contextLength: 262144 }, { id: 'kimi-k3', contextLength: 1048576 }], model: 'kimi-k2.6', modelInfo: { id: 'kimi-k2.6', recommended: true } };
const summary = (c: Conversation) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt });

/** Load or switch: the key notice, the list, the models and the conversation with its turns. */
export const onOpen = (c: Conversation): HostMessage[] =>
  stateMessages({ conversations: [summary(c)], conversation: c, models: models.models, model: models.model, modelInfo: models.modelInfo!, streaming: false, hasApiKey: true });
/** Any setting (kimi.onDidChange): the key notice and the models. */
export const onSettingsChange = (): HostMessage[] => [{ type: 'apiKey', present: true }, models];
/** A rename: the list. */
export const onRename = (c: Conversation, title: string): HostMessage[] => [{ type: 'conversations', conversations: [{ ...summary(c), title }], active: { ...summary(c), title } }];
