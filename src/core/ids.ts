// Command ids and context keys, typed: a typo is a compile error, and a unit test checks them
// against package.json.

export const Commands = {
  setApiKey: 'kimi.setApiKey',
  clearApiKey: 'kimi.clearApiKey',
  selectModel: 'kimi.selectModel',
  showLog: 'kimi.showLog',
  cachesRefresh: 'kimi.caches.refresh',
  cachesCreate: 'kimi.caches.create',
  cachesCreateFromFiles: 'kimi.caches.createFromFiles',
  cachesCreateFromConversation: 'kimi.caches.createFromConversation',
  cachesUpdateTtl: 'kimi.caches.updateTtl',
  cachesEditMetadata: 'kimi.caches.editMetadata',
  cachesDelete: 'kimi.caches.delete',
  cachesCopyId: 'kimi.caches.copyId',
  cachesOpen: 'kimi.caches.open',
  cachesAddTag: 'kimi.caches.addTag',
  cachesLoadMore: 'kimi.caches.loadMore',
  cachesChatWith: 'kimi.caches.chatWith',
  tagsDelete: 'kimi.tags.delete',
  tagsOpenContent: 'kimi.tags.openContent',
  chatNew: 'kimi.chat.new',
  chatStop: 'kimi.chat.stop',
  explainSelection: 'kimi.explainSelection',
  generateAtCursor: 'kimi.generateAtCursor',
  editSelection: 'kimi.editSelection',
} as const;
export type CommandId = (typeof Commands)[keyof typeof Commands];

/** VS Code's own commands for our views (`<view id>.focus`). */
export const ViewCommands = {
  focusChat: 'kimi.chat.focus',
  focusCaches: 'kimi.caches.focus',
} as const;

export const ContextKeys = {
  hasApiKey: 'kimi.hasApiKey',
  chatStreaming: 'kimi.chat.streaming',
  cachesEmpty: 'kimi.caches.empty',
  cachesUnavailable: 'kimi.caches.unavailable',
} as const;
export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

export const Views = {
  chat: 'kimi.chat',
  caches: 'kimi.caches',
} as const;
