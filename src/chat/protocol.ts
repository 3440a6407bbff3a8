// The one message protocol between the chat webview and the extension host. Both sides import
// these types; the host validates every message it receives with parseWebviewMessage.
// No vscode import here: the webview bundle includes this file.

export interface UsageSummary {
  prompt: number;
  cached: number;
  completion: number;
}

export type TurnStatus = 'streaming' | 'done' | 'stopped' | 'error';

/** A next step offered with an error: each maps to a fixed host action, never a free command id. */
export type ErrorAction = 'setApiKey' | 'retry' | 'showLog' | 'selectModel';

export interface TurnError {
  message: string;
  actions: ErrorAction[];
}

export interface Turn {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  createdAt: number;
  status?: TurnStatus;
  model?: string;
  usage?: UsageSummary;
  error?: TurnError;
}

/** A conversation attached to a context cache sends {role:'cache'} first. */
export interface CacheRef {
  kind: 'cache' | 'tag';
  /** Cache id or tag name. */
  id: string;
  label?: string;
}

export interface Conversation {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  model?: string;
  cache?: CacheRef;
  turns: Turn[];
  draft?: string;
}

export interface ConversationSummary {
  id: string;
  title: string;
  updatedAt: number;
}

export interface ModelOption {
  id: string;
  contextLength?: number;
}

export type HostMessage =
  | {
      type: 'state';
      conversations: ConversationSummary[];
      conversation: Conversation;
      models: ModelOption[];
      model: string;
      streaming: boolean;
      hasApiKey: boolean;
    }
  | { type: 'turnStart'; conversationId: string; user?: Turn; assistant: Turn }
  | { type: 'delta'; conversationId: string; turnId: string; text: string }
  | { type: 'turnEnd'; conversationId: string; turn: Turn }
  /** `estimated`: a local estimate, with why (nothing was sent for counting, or counting failed). */
  | { type: 'draftTokens'; count: number | null; contextLength?: number; estimated?: string }
  | { type: 'models'; models: ModelOption[]; model: string }
  | { type: 'focusInput' };

export type CodeAction = 'copy' | 'insert' | 'replace';

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'send'; text: string }
  | { type: 'stop' }
  | { type: 'regenerate' }
  | { type: 'editLast'; text: string }
  | { type: 'newConversation' }
  | { type: 'switchConversation'; id: string }
  | { type: 'renameConversation'; id: string; title: string }
  | { type: 'deleteConversation'; id: string }
  | { type: 'draft'; text: string }
  | { type: 'selectModel'; model: string }
  | { type: 'detachCache' }
  | { type: 'code'; action: CodeAction; code: string; language?: string }
  | { type: 'action'; action: ErrorAction };
